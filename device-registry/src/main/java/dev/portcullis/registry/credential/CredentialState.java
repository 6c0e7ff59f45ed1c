package dev.portcullis.registry.credential;

/**
 * Where a credential stands on its lock. Only the lock's signed acknowledgement moves a credential to
 * {@link #ACTIVE} or {@link #REVOKED}; until then it is pending, with its age visible to operators.
 */
public enum CredentialState {
    /** Issued; the lock has not confirmed it yet. */
    SYNC_PENDING,
    /** The lock confirmed it holds it. */
    ACTIVE,
    /** Revocation requested; the lock has not confirmed the removal yet (it may still open the door). */
    REVOKE_PENDING,
    /** The lock confirmed the removal, or the credential never reached any lock. */
    REVOKED;

    public String db() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static CredentialState of(String db) {
        return valueOf(db.toUpperCase(java.util.Locale.ROOT));
    }
}
