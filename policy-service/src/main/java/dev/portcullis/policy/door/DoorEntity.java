package dev.portcullis.policy.door;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Policy's view of a door: enough to decide (organization, property, local time zone). */
@Entity
@Table(name = "door")
public class DoorEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "property_id", nullable = false)
    public UUID propertyId;

    @Column(nullable = false)
    public String name;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    /** The least assurance level ({@code acr}) an unlock needs; null = none. */
    @Column(name = "required_acr")
    public String requiredAcr;

    /** How old (seconds) the sign-in behind an unlock may be at most; null = no limit. */
    @Column(name = "max_auth_age_seconds")
    public Integer maxAuthAgeSeconds;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public Assurance assurance() {
        return new Assurance(requiredAcr, maxAuthAgeSeconds == null ? null : Duration.ofSeconds(maxAuthAgeSeconds));
    }
}
