package dev.portcullis.registry.shadow;

import com.google.protobuf.Timestamp;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.UnlockAcknowledged;
import dev.portcullis.proto.gateway.v1.DoorState;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.registry.Ids;
import dev.portcullis.registry.admin.Db;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies what a lock reported to its shadow: presence, door state, battery, tamper, credential-set digest,
 * acknowledged unlocks, and the last time it was heard from. Each event is applied once (its event id is recorded in
 * the same transaction) and only to a lock of the event's organization; an older report never overwrites a newer one.
 */
@ApplicationScoped
public class LockShadows {

    @Inject
    Db db;

    /** Applies the event; false when it was already applied, is not about a lock the shadow tracks, or names no lock of its organization. */
    public Uni<Boolean> apply(EventEnvelope envelope) {
        Optional<UUID> eventId = Ids.uuid(envelope.getEventId());
        Optional<UUID> organization = Ids.uuid(envelope.getOrganizationId());
        Optional<Update> update = update(envelope);
        if (eventId.isEmpty() || organization.isEmpty() || update.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        Optional<UUID> lockId = Ids.uuid(update.get().lockId());
        if (lockId.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return db.inTransaction(sql -> Db.exec(sql, "INSERT INTO processed_lock_event (event_id) VALUES ($1) ON CONFLICT DO NOTHING", eventId.get())
                .flatMap(fresh -> fresh == 0 ? Uni.createFrom().item(false)
                        : ensureRow(sql, lockId.get(), organization.get()).flatMap(tracked -> !tracked ? Uni.createFrom().item(false)
                                : Db.exec(sql, "UPDATE lock_shadow SET " + update.get().set() + ", updated_at = now() WHERE lock_id = $1",
                                        update.get().arguments(lockId.get())).map(rows -> true))));
    }

    private static Uni<Boolean> ensureRow(SqlClient sql, UUID lockId, UUID organization) {
        return Db.exec(sql, "INSERT INTO lock_shadow (lock_id, organization_id) SELECT id, organization_id FROM lock"
                + " WHERE id = $1 AND organization_id = $2 ON CONFLICT (lock_id) DO NOTHING", lockId, organization)
                .flatMap(inserted -> inserted > 0 ? Uni.createFrom().item(true)
                        : Db.one(sql, "SELECT 1 FROM lock_shadow WHERE lock_id = $1 AND organization_id = $2", row -> true, lockId, organization)
                                .map(found -> found != null));
    }

    /** One UPDATE: the SET clause with parameters from $2 on ($1 is the lock id). */
    record Update(String lockId, String set, Object... values) {

        Object[] arguments(UUID lock) {
            Object[] arguments = new Object[values.length + 1];
            arguments[0] = lock;
            System.arraycopy(values, 0, arguments, 1, values.length);
            return arguments;
        }
    }

    /** Newer-wins assignment of a reported value with its time column ({@code $value}, {@code $at} are parameters). */
    private static String newer(String column, String atColumn, String value, String at) {
        return column + " = CASE WHEN " + atColumn + " IS NULL OR " + atColumn + " <= " + at + " THEN " + value + " ELSE " + column + " END, "
                + atColumn + " = GREATEST(" + atColumn + ", " + at + ")";
    }

    private static final String SEEN = "last_seen_at = GREATEST(last_seen_at, $2)";

    static Optional<Update> update(EventEnvelope envelope) {
        OffsetDateTime at = envelope.hasOccurredAt() ? time(envelope.getOccurredAt()) : OffsetDateTime.now(ZoneOffset.UTC);
        switch (envelope.getPayloadCase()) {
            case LOCK_PRESENCE_CHANGED -> {
                return Optional.of(new Update(envelope.getLockPresenceChanged().getLockId(),
                        SEEN + ", " + newer("online", "online_changed_at", "$3", "$2"), at, envelope.getLockPresenceChanged().getOnline()));
            }
            case LOCK_CREDENTIALS_REPORTED -> {
                LockCredentialsReported reported = envelope.getLockCredentialsReported();
                return Optional.of(new Update(reported.getLockId(),
                        SEEN + ", " + newer("credential_set_digest", "credential_set_reported_at", "$3", "$2"), at,
                        Buffer.buffer(reported.getCredentialSetDigest().toByteArray())));
            }
            case UNLOCK_ACKNOWLEDGED -> {
                UnlockAcknowledged acknowledged = envelope.getUnlockAcknowledged();
                OffsetDateTime unlockedAt = acknowledged.hasLockTime() ? time(acknowledged.getLockTime()) : at;
                return Optional.of(new Update(acknowledged.getLockId(), SEEN + ", last_unlocked_at = GREATEST(last_unlocked_at, $3)", at, unlockedAt));
            }
            case LOCK_EVENT_REPORTED -> {
                return lockEvent(envelope.getLockEventReported(), at);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<Update> lockEvent(LockEventReported reported, OffsetDateTime at) {
        LockEvent event = reported.getEvent();
        // Raised by the platform about the lock, not reported by it: nothing the lock said.
        if (event.getType() == LockEventType.LOCK_EVENT_TYPE_CLOCK_SKEW) {
            return Optional.empty();
        }
        OffsetDateTime happened = event.hasOccurredAt() ? time(event.getOccurredAt()) : at;
        StringBuilder set = new StringBuilder(SEEN);
        java.util.List<Object> values = new java.util.ArrayList<>(java.util.List.of(at, happened));
        if (event.getType() == LockEventType.LOCK_EVENT_TYPE_TAMPER) {
            set.append(", tampered = true, tampered_since = COALESCE(tampered_since, $3)");
        }
        if (event.getType() == LockEventType.LOCK_EVENT_TYPE_DOOR_STATE && doorState(event.getDoorState()) != null) {
            values.add(doorState(event.getDoorState()));
            set.append(", ").append(newer("door_state", "door_state_at", "$" + (values.size() + 1), "$3"));
        }
        if (event.getBatteryPercent() > 0 && event.getBatteryPercent() <= 100
                || event.getType() == LockEventType.LOCK_EVENT_TYPE_LOW_BATTERY && event.getBatteryPercent() == 0) {
            values.add(event.getBatteryPercent());
            set.append(", ").append(newer("battery_percent", "battery_at", "$" + (values.size() + 1), "$3"));
        }
        return Optional.of(new Update(reported.getLockId(), set.toString(), values.toArray()));
    }

    private static String doorState(DoorState state) {
        return switch (state) {
            case DOOR_STATE_CLOSED -> "CLOSED";
            case DOOR_STATE_OPEN -> "OPEN";
            case DOOR_STATE_AJAR -> "AJAR";
            default -> null;
        };
    }

    private static OffsetDateTime time(Timestamp timestamp) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()), ZoneOffset.UTC);
    }
}
