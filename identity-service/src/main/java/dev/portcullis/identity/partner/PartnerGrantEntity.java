package dev.portcullis.identity.partner;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An organization's grant of scopes to a partner client; active while not revoked. */
@Entity
@Table(name = "partner_grant")
public class PartnerGrantEntity {

    @Id
    public UUID id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "scopes", nullable = false, columnDefinition = "text[]")
    public String[] scopes;

    @Column(name = "granted_by")
    public UUID grantedBy;

    @Column(name = "granted_at", nullable = false)
    public OffsetDateTime grantedAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    public boolean covers(Collection<String> requested) {
        return Arrays.asList(scopes).containsAll(requested);
    }
}
