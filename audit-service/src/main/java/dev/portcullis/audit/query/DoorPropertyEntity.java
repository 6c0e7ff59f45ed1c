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
 * Which property a door belongs to, from the newest {@code DoorChanged} entry (table {@code door_property},
 * kept by {@code AuditChain}; read here for the property filter). Identifiers only, nothing personal.
 */
@Entity
@Table(name = "door_property")
@IdClass(DoorPropertyEntity.Key.class)
public class DoorPropertyEntity {

    @Id
    @Column(name = "organization_id")
    public UUID organizationId;

    @Id
    @Column(name = "door_id")
    public String doorId;

    @Column(name = "property_id")
    public String propertyId;

    @Column(name = "source_sequence")
    public long sourceSequence;

    public static class Key implements Serializable {

        public UUID organizationId;
        public String doorId;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(organizationId, key.organizationId) && Objects.equals(doorId, key.doorId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(organizationId, doorId);
        }
    }
}
