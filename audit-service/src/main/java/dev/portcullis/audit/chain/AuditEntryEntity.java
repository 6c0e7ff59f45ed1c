package dev.portcullis.audit.chain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One link of the chain. Written once, never changed (the database rejects UPDATE and DELETE). */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity {

    @Id
    public Long sequence;

    @Column(name = "event_id", nullable = false, updatable = false)
    public UUID eventId;

    @Column(name = "organization_id", updatable = false)
    public UUID organizationId;

    @Column(name = "occurred_at", updatable = false)
    public OffsetDateTime occurredAt;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    public OffsetDateTime recordedAt;

    @Column(name = "event_type", nullable = false, updatable = false)
    public String eventType;

    @Column(name = "actor_type", updatable = false)
    public String actorType;

    @Column(name = "actor_id", updatable = false)
    public String actorId;

    @Column(updatable = false)
    public String method;

    @Column(name = "door_id", updatable = false)
    public String doorId;

    @Column(name = "lock_id", updatable = false)
    public String lockId;

    @Column(name = "action_attempt_id", updatable = false)
    public String actionAttemptId;

    @Column(updatable = false)
    public String outcome;

    @Column(nullable = false, updatable = false, columnDefinition = "text[]")
    public String[] reasons;

    @Column(nullable = false, updatable = false)
    public byte[] envelope;

    @Column(name = "previous_hash", nullable = false, updatable = false)
    public byte[] previousHash;

    @Column(name = "entry_hash", nullable = false, updatable = false)
    public byte[] entryHash;

    /** The columns as stored, for comparison with what the envelope says. */
    public EntryColumns columns() {
        return new EntryColumns(eventId, organizationId, occurredAt == null ? null : occurredAt.toInstant(), eventType,
                actorType, actorId, method, doorId, lockId, actionAttemptId, outcome,
                reasons == null ? List.of() : List.of(reasons));
    }
}
