package dev.portcullis.registry.portfolio;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A property (building, site) of an organization; its doors are in its local time zone. */
@Entity
@Table(name = "property")
public class PropertyEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(nullable = false)
    public String name;

    /** IANA zone id, e.g. America/New_York. */
    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
