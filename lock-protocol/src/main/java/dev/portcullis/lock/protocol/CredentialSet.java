package dev.portcullis.lock.protocol;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The lock's side of credentials (docs/lock-protocol.md, "Credentials"): applies verified credential
 * commands, checks what is presented at the door offline, and states its content as one digest the
 * platform computes the same way from what the lock should hold.
 *
 * <pre>
 * digest = SHA-256( LP("portcullis/credential-set/v1") || for each credential in ascending id order:
 *                   LP(id, 16 bytes) || LP(SHA-256(canonical Credential bytes)) )
 * (ids ordered as unsigned 16-byte strings)
 * </pre>
 * Uses spent are the lock's own state and not part of the digest. Not thread-safe on its own: one lock,
 * one door, one caller at a time (synchronized).
 */
public final class CredentialSet {

    private static final String DIGEST_DOMAIN = "portcullis/credential-set/v1";

    private final Map<UUID, CredentialSpec> credentials = new TreeMap<>();
    private final Map<UUID, Integer> uses = new TreeMap<>();

    /** Applies a verified CREDENTIAL_PUT or CREDENTIAL_REMOVE; other commands change nothing. */
    public synchronized void apply(VerifiedCommand command) {
        switch (command.action()) {
            case CREDENTIAL_PUT -> put(command.credential());
            case CREDENTIAL_REMOVE -> remove(command.credentialId());
            default -> { }
        }
    }

    public synchronized void put(CredentialSpec credential) {
        CredentialSpec previous = credentials.put(credential.id(), credential);
        if (previous == null || !previous.equals(credential)) {
            uses.remove(credential.id());
        }
    }

    public synchronized void remove(UUID id) {
        credentials.remove(id);
        uses.remove(id);
    }

    /** The ids of the credentials held (what the lock reports in its inventory; never secrets). */
    public synchronized java.util.List<UUID> ids() {
        return java.util.List.copyOf(credentials.keySet());
    }

    public synchronized int size() {
        return credentials.size();
    }

    public synchronized Optional<CredentialSpec> find(UUID id) {
        return Optional.ofNullable(credentials.get(id));
    }

    /** The outcome of presenting a secret at the door. */
    public record Check(boolean opens, UUID credentialId, boolean duress, Refusal refusal) {
        static Check refused(Refusal why, UUID id) {
            return new Check(false, id, false, why);
        }
    }

    /** Why a presented credential does not open. */
    public enum Refusal { UNKNOWN, NOT_YET_VALID, EXPIRED, OUTSIDE_WINDOW, USED_UP }

    /**
     * Checks a PIN or card presented at {@code at} (lock clock). A match that opens consumes one use of a
     * use-limited credential. A duress credential opens like any other and says so ({@code duress}), for
     * the lock to raise its silent alert. Secrets are compared in constant time.
     */
    public synchronized Check present(CredentialSpec.Kind kind, byte[] secret, Instant at) {
        CredentialSpec match = null;
        for (CredentialSpec candidate : credentials.values()) {
            if (candidate.kind() == kind && !kind.biometric() && MessageDigest.isEqual(candidate.secret(), secret)) {
                match = candidate;
            }
        }
        if (match == null) {
            return Check.refused(Refusal.UNKNOWN, null);
        }
        if (match.validFrom() != null && at.isBefore(match.validFrom())) {
            return Check.refused(Refusal.NOT_YET_VALID, match.id());
        }
        if (match.validUntil() != null && !at.isBefore(match.validUntil())) {
            return Check.refused(Refusal.EXPIRED, match.id());
        }
        if (!match.windows().isEmpty()) {
            ZonedDateTime local = at.atZone(match.zone());
            int minute = local.getHour() * 60 + local.getMinute();
            if (match.windows().stream().noneMatch(window -> window.contains(local.getDayOfWeek(), minute))) {
                return Check.refused(Refusal.OUTSIDE_WINDOW, match.id());
            }
        }
        int used = uses.getOrDefault(match.id(), 0);
        if (match.maxUses() > 0 && used >= match.maxUses()) {
            return Check.refused(Refusal.USED_UP, match.id());
        }
        uses.put(match.id(), used + 1);
        return new Check(true, match.id(), match.duress(), null);
    }

    /**
     * Checks a 10-digit offline code typed at {@code at} (lock clock) against every offline-code secret the
     * lock holds within its validity (docs/lock-protocol.md §16). Opens with the secret's credential id.
     */
    public synchronized Check presentOfflineCode(String lockId, String code, Instant at) {
        UUID expired = null;
        for (CredentialSpec candidate : credentials.values()) {
            if (candidate.kind() != CredentialSpec.Kind.OFFLINE_CODES) {
                continue;
            }
            if (OfflineCodes.check(candidate.secret(), lockId, code, at).isPresent()) {
                boolean valid = (candidate.validFrom() == null || !at.isBefore(candidate.validFrom()))
                        && (candidate.validUntil() == null || at.isBefore(candidate.validUntil()));
                if (valid) {
                    return new Check(true, candidate.id(), false, null);
                }
                expired = candidate.id();
            }
        }
        return expired != null ? Check.refused(Refusal.EXPIRED, expired) : Check.refused(Refusal.UNKNOWN, null);
    }

    /** The digest of what this lock holds (see the class comment). */
    public synchronized byte[] digest() {
        return digestOf(credentials.values());
    }

    /** The same digest for the credentials a lock should hold: what the platform compares an ack's digest with. */
    public static byte[] digestOf(Iterable<CredentialSpec> credentials) {
        // ascending unsigned order of the 16 id bytes (not Java's signed UUID order), the same in any language
        TreeMap<byte[], CredentialSpec> ordered = new TreeMap<>(java.util.Arrays::compareUnsigned);
        credentials.forEach(credential -> ordered.put(Encoding.uuid(credential.id()), credential));
        byte[][] parts = new byte[1 + 2 * ordered.size()][];
        parts[0] = Encoding.utf8(DIGEST_DOMAIN);
        int i = 1;
        for (CredentialSpec credential : ordered.values()) {
            parts[i++] = Encoding.uuid(credential.id());
            parts[i++] = Encoding.sha256(credential.toWire().toByteArray());
        }
        return Encoding.sha256(Encoding.lengthPrefixed(parts));
    }
}
