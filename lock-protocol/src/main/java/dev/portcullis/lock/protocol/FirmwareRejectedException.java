package dev.portcullis.lock.protocol;

/** A firmware manifest or image the lock must not install, and why. */
public class FirmwareRejectedException extends Exception {

    /** Why a manifest or image was refused (docs/lock-protocol.md, "Firmware manifests"). */
    public enum Reason {
        /** Not a canonically encoded signed manifest, or a field out of range. */
        MALFORMED,
        /** A manifest format version this library does not know. */
        UNSUPPORTED_VERSION,
        /** The signature does not verify over the received manifest bytes. */
        BAD_SIGNATURE,
        /** Built for another lock model. */
        WRONG_MODEL,
        /** A release channel this library does not know. */
        UNKNOWN_CHANNEL,
        /** Not newer than the installed version. */
        DOWNGRADE,
        /** The installed version is outside the manifest's min/max upgrade-from range. */
        UPGRADE_PATH,
        /** The image bytes do not have the manifest's SHA-256 digest or size. */
        DIGEST_MISMATCH
    }

    private final Reason reason;

    public FirmwareRejectedException(Reason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
