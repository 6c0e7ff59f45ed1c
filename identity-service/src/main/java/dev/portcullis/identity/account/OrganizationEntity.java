package dev.portcullis.identity.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant of the platform (a property-management company, an integrator's customer). */
@Entity
@Table(name = "organization")
public class OrganizationEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** Every account must use a second factor; a password is then never the only factor. */
    @Column(name = "require_mfa", nullable = false)
    public boolean requireMfa;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
