package dev.portcullis.policy.grant;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "access_grant")
public class AccessGrantEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    @Column(name = "door_id", nullable = false)
    public UUID doorId;

    @Column(name = "valid_from")
    public OffsetDateTime validFrom;

    @Column(name = "valid_until")
    public OffsetDateTime validUntil;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @OneToMany(mappedBy = "grant", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.LAZY)
    public List<GrantWindowEntity> windows = new ArrayList<>();

    public Grant toGrant() {
        return new Grant(id, subjectId, doorId,
                validFrom == null ? null : validFrom.toInstant(),
                validUntil == null ? null : validUntil.toInstant(),
                new WeeklySchedule(windows.stream().map(GrantWindowEntity::toWindow).toList()));
    }
}
