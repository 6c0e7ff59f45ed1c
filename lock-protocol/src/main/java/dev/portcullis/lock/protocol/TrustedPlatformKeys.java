package dev.portcullis.lock.protocol;

import java.security.PublicKey;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The platform keys a lock trusts (lock side): set at enrolment, extended during a platform key
 * rotation (old and new key trusted side by side), and a revocation list that wins over trust: a key
 * id in it is refused even if the key is also listed as trusted. Immutable; the {@code with...} and
 * {@link #revoke} methods return a new instance.
 */
public final class TrustedPlatformKeys {

    private final Map<String, PublicKey> signingKeys;
    private final Map<String, PublicKey> agreementKeys;
    private final Set<String> revokedKeyIds;

    /** One trusted Ed25519 signing key and one trusted X25519 agreement key, nothing revoked. */
    public TrustedPlatformKeys(PublicKey signingKey, PublicKey agreementKey) {
        this(List.of(signingKey), List.of(agreementKey), Set.of());
    }

    public TrustedPlatformKeys(Collection<PublicKey> signingKeys, Collection<PublicKey> agreementKeys, Collection<String> revokedKeyIds) {
        Map<String, PublicKey> signing = new LinkedHashMap<>();
        for (PublicKey key : signingKeys) {
            if (!PublicKeys.isEd25519(key)) {
                throw new IllegalArgumentException("trusted platform signing keys must be Ed25519");
            }
            signing.put(KeyIds.of(key), key);
        }
        Map<String, PublicKey> agreement = new LinkedHashMap<>();
        for (PublicKey key : agreementKeys) {
            if (!PublicKeys.isX25519(key)) {
                throw new IllegalArgumentException("trusted platform agreement keys must be X25519");
            }
            agreement.put(KeyIds.of(key), key);
        }
        if (signing.isEmpty() || agreement.isEmpty()) {
            throw new IllegalArgumentException("a lock must trust at least one platform signing key and one agreement key");
        }
        this.signingKeys = Collections.unmodifiableMap(signing);
        this.agreementKeys = Collections.unmodifiableMap(agreement);
        this.revokedKeyIds = Collections.unmodifiableSet(new LinkedHashSet<>(revokedKeyIds));
    }

    /** Also trusts {@code key} (platform signing key rotation: announce the new key before using it). */
    public TrustedPlatformKeys withSigningKey(PublicKey key) {
        List<PublicKey> signing = new java.util.ArrayList<>(signingKeys.values());
        signing.add(key);
        return new TrustedPlatformKeys(signing, agreementKeys.values(), revokedKeyIds);
    }

    /** Also trusts {@code key} as a platform agreement key. */
    public TrustedPlatformKeys withAgreementKey(PublicKey key) {
        List<PublicKey> agreement = new java.util.ArrayList<>(agreementKeys.values());
        agreement.add(key);
        return new TrustedPlatformKeys(signingKeys.values(), agreement, revokedKeyIds);
    }

    /** Refuses {@code keyId} from now on, whether it is a signing or an agreement key. */
    public TrustedPlatformKeys revoke(String keyId) {
        Set<String> revoked = new LinkedHashSet<>(revokedKeyIds);
        revoked.add(keyId);
        return new TrustedPlatformKeys(signingKeys.values(), agreementKeys.values(), revoked);
    }

    public Optional<PublicKey> signingKey(String keyId) {
        return Optional.ofNullable(signingKeys.get(keyId));
    }

    public Optional<PublicKey> agreementKey(String keyId) {
        return Optional.ofNullable(agreementKeys.get(keyId));
    }

    public boolean isRevoked(String keyId) {
        return revokedKeyIds.contains(keyId);
    }

    /** Trusted signing keys by key id (including any that are also revoked). */
    public Map<String, PublicKey> signingKeys() {
        return signingKeys;
    }

    /** Trusted agreement keys by key id (including any that are also revoked). */
    public Map<String, PublicKey> agreementKeys() {
        return agreementKeys;
    }

    public Set<String> revokedKeyIds() {
        return revokedKeyIds;
    }

    @Override
    public String toString() {
        return "TrustedPlatformKeys[signing=" + signingKeys.keySet() + ", agreement=" + agreementKeys.keySet()
                + ", revoked=" + revokedKeyIds + "]";
    }
}
