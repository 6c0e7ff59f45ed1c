package dev.portcullis.lock.protocol;

import java.util.Objects;

/** An acknowledgement that does not prove anything about the expected command from the expected lock. */
public final class AckRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Not a well-formed SignedAck / Ack. */
        MALFORMED,
        UNSUPPORTED_VERSION,
        /** Not signed by the lock's enrolled signing key. */
        BAD_SIGNATURE,
        /** Signed by the right key, but names another lock or key. */
        WRONG_LOCK,
        /** Bound to another command's hash. */
        WRONG_COMMAND
    }

    private final Reason reason;

    public AckRejectedException(Reason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
