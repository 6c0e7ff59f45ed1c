package dev.portcullis.audit.alert;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One alert: raised once per (kind, source), never changed. */
@Entity
@Table(name = "alert")
public class AlertEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id")
    public UUID organizationId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String severity;

    @Column(name = "door_id")
    public String doorId;

    @Column(name = "lock_id")
    public String lockId;

    /** The person (actor) the alert is about, for repeated denials by one subject. */
    @Column(name = "subject_id")
    public String subjectId;

    public String detail;

    @Column(name = "source_key", nullable = false)
    public String sourceKey;

    @Column(name = "source_sequence")
    public Long sourceSequence;

    @Column(name = "source_event_id")
    public UUID sourceEventId;

    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;

    @Column(name = "raised_at", nullable = false)
    public OffsetDateTime raisedAt;
}
