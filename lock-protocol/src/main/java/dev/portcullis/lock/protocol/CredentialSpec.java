package dev.portcullis.lock.protocol;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.Credential;
import dev.portcullis.lock.protocol.wire.CredentialKind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A credential the lock checks by itself (docs/lock-protocol.md, "Credentials"): a PIN (4–12 digits) or
 * a card UID it compares, or a biometric enrolment it allows; optionally a duress credential, bounded in
 * time (validity, weekly windows in a time zone) and in uses (1 = one-time). It travels only inside an
 * encrypted command body for one lock.
 *
 * @param validFrom  null = unbounded
 * @param validUntil null = unbounded (exclusive)
 * @param zone       the zone of {@code windows}; null when there are none
 * @param maxUses    0 = unlimited
 */
public record CredentialSpec(UUID id, Kind kind, byte[] secret, boolean duress, Instant validFrom, Instant validUntil,
        List<WeeklyWindow> windows, ZoneId zone, int maxUses) {

    /** What kind of credential. */
    public enum Kind {
        PIN(CredentialKind.CREDENTIAL_KIND_PIN),
        CARD(CredentialKind.CREDENTIAL_KIND_CARD),
        FINGERPRINT(CredentialKind.CREDENTIAL_KIND_FINGERPRINT),
        PALM_VEIN(CredentialKind.CREDENTIAL_KIND_PALM_VEIN),
        FACE(CredentialKind.CREDENTIAL_KIND_FACE),
        /** The per-lock secret offline codes are derived from ({@link OfflineCodes}). */
        OFFLINE_CODES(CredentialKind.CREDENTIAL_KIND_OFFLINE_CODES);

        private final CredentialKind wire;

        Kind(CredentialKind wire) {
            this.wire = wire;
        }

        boolean biometric() {
            return this == FINGERPRINT || this == PALM_VEIN || this == FACE;
        }

        static Kind fromWire(CredentialKind kind) {
            for (Kind candidate : values()) {
                if (candidate.wire == kind) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("unknown credential kind");
        }
    }

    public CredentialSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        secret = secret == null ? new byte[0] : secret.clone();
        windows = windows == null ? List.of() : List.copyOf(windows);
        switch (kind) {
            case PIN -> {
                if (secret.length < 4 || secret.length > 12) {
                    throw new IllegalArgumentException("a PIN has 4 to 12 digits");
                }
                for (byte b : secret) {
                    if (b < '0' || b > '9') {
                        throw new IllegalArgumentException("a PIN has only digits");
                    }
                }
            }
            case CARD -> {
                if (secret.length < 1 || secret.length > 32) {
                    throw new IllegalArgumentException("a card UID has 1 to 32 bytes");
                }
            }
            case OFFLINE_CODES -> {
                if (secret.length != OfflineCodes.SECRET_BYTES) {
                    throw new IllegalArgumentException("an offline-code secret has " + OfflineCodes.SECRET_BYTES + " bytes");
                }
                if (duress || !windows.isEmpty() || maxUses != 0) {
                    throw new IllegalArgumentException("offline codes carry their own windows: no duress, weekly windows or use limit");
                }
            }
            default -> {
                if (secret.length != 0) {
                    throw new IllegalArgumentException("a biometric credential carries no secret (the template stays at the lock)");
                }
            }
        }
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("a credential must end after it starts");
        }
        if (windows.isEmpty() != (zone == null)) {
            throw new IllegalArgumentException("weekly windows need a time zone, and a time zone needs windows");
        }
        if (maxUses < 0) {
            throw new IllegalArgumentException("maxUses is 0 (unlimited) or more");
        }
    }

    /**
     * What a CREDENTIAL_REMOVE names: only {@code id} is sent (the lock needs nothing else); the other
     * components are placeholders that never leave this process.
     */
    public static CredentialSpec removal(UUID id) {
        return new CredentialSpec(id, Kind.FINGERPRINT, null, false, null, null, List.of(), null, 0);
    }

    /** A credential as the platform received it (serialized lock-protocol Credential); IllegalArgumentException if invalid. */
    public static CredentialSpec parse(byte[] serialized) {
        try {
            Credential wire = Credential.parseFrom(serialized);
            if (!java.util.Arrays.equals(wire.toByteArray(), serialized)) {
                throw new IllegalArgumentException("not canonically encoded");
            }
            return fromWire(wire);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a Credential");
        }
    }

    /** The id a serialized Credential names (for a removal, which carries the id alone); IllegalArgumentException if none. */
    public static UUID idOf(byte[] serialized) {
        try {
            Credential wire = Credential.parseFrom(serialized);
            if (wire.getCredentialId().size() != Encoding.UUID_BYTES) {
                throw new IllegalArgumentException("no 16-byte credential id");
            }
            return Encoding.uuid(wire.getCredentialId().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a Credential");
        }
    }

    /** The serialized lock-protocol Credential (what the registry hands to command-service). */
    public byte[] serialize() {
        return toWire().toByteArray();
    }

    /** A permanent PIN. */
    public static CredentialSpec pin(UUID id, String digits) {
        return new CredentialSpec(id, Kind.PIN, Encoding.utf8(digits), false, null, null, List.of(), null, 0);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    Credential toWire() {
        Credential.Builder wire = Credential.newBuilder()
                .setCredentialId(ByteString.copyFrom(Encoding.uuid(id)))
                .setKind(kind.wire)
                .setSecret(ByteString.copyFrom(secret))
                .setDuress(duress)
                .setValidFromUnixMs(validFrom == null ? 0 : validFrom.toEpochMilli())
                .setValidUntilUnixMs(validUntil == null ? 0 : validUntil.toEpochMilli())
                .setMaxUses(maxUses);
        for (WeeklyWindow window : windows) {
            wire.addWindows(dev.portcullis.lock.protocol.wire.WeeklyWindow.newBuilder()
                    .setDayOfWeek(window.day().getValue())
                    .setStartMinute(window.startMinute())
                    .setEndMinute(window.endMinute()));
        }
        if (zone != null) {
            wire.setTimeZone(zone.getId());
        }
        return wire.build();
    }

    /** The credential a verified body carries; IllegalArgumentException (→ MALFORMED) when it is not a valid one. */
    static CredentialSpec fromWire(Credential wire) {
        if (wire.getCredentialId().size() != Encoding.UUID_BYTES) {
            throw new IllegalArgumentException("credential id is not 16 bytes");
        }
        List<WeeklyWindow> windows = wire.getWindowsList().stream().map(window -> {
            if (window.getDayOfWeek() < 1 || window.getDayOfWeek() > 7) {
                throw new IllegalArgumentException("day of week out of range");
            }
            return new WeeklyWindow(DayOfWeek.of(window.getDayOfWeek()), window.getStartMinute(), window.getEndMinute());
        }).toList();
        ZoneId zone;
        try {
            zone = wire.getTimeZone().isEmpty() ? null : ZoneId.of(wire.getTimeZone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown time zone");
        }
        if (wire.getMaxUses() < 0) {
            throw new IllegalArgumentException("too many uses");
        }
        return new CredentialSpec(Encoding.uuid(wire.getCredentialId().toByteArray()), Kind.fromWire(wire.getKind()),
                wire.getSecret().toByteArray(), wire.getDuress(),
                wire.getValidFromUnixMs() == 0 ? null : Instant.ofEpochMilli(wire.getValidFromUnixMs()),
                wire.getValidUntilUnixMs() == 0 ? null : Instant.ofEpochMilli(wire.getValidUntilUnixMs()),
                windows, zone, (int) wire.getMaxUses());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CredentialSpec that && toWire().equals(that.toWire());
    }

    @Override
    public int hashCode() {
        return toWire().hashCode();
    }

    @Override
    public String toString() {
        // never the secret
        return "CredentialSpec[" + id + ", " + kind + (duress ? ", duress" : "") + "]";
    }

}
