package dev.portcullis.audit.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * A credential an entry is about (table {@code audit_entry_credential}, written with the entry by
 * {@code AuditChain}; read here for the credential filter).
 */
@Entity
@Table(name = "audit_entry_credential")
@IdClass(EntryCredentialEntity.Key.class)
public class EntryCredentialEntity {

    @Id
    public Long sequence;

    @Id
    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "organization_id", updatable = false)
    public UUID organizationId;

    public static class Key implements Serializable {

        public Long sequence;
        public String credentialId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(sequence, key.sequence) && Objects.equals(credentialId, key.credentialId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sequence, credentialId);
        }
    }
}
