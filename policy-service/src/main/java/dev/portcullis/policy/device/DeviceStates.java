package dev.portcullis.policy.device;

import dev.portcullis.policy.engine.DeviceState;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What policy knows about each door's lock, in memory (every replica hears every lock event) and in
 * {@code door_device_state} (so a restarted replica starts from what was known).
 */
@ApplicationScoped
public class DeviceStates {

    @Inject
    Pool pool;

    private record Known(UUID organizationId, DeviceState state) {
    }

    private final Map<UUID, Known> states = new ConcurrentHashMap<>();

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT * FROM door_device_state").execute()
                .invoke(rows -> rows.forEach(this::remember)).replaceWithVoid());
    }

    /** The state of the door's lock as far as this organization is concerned; unknown opens no gate. */
    public DeviceState of(UUID organizationId, UUID doorId) {
        Known known = states.get(doorId);
        return known == null || !known.organizationId().equals(organizationId) ? DeviceState.UNKNOWN : known.state();
    }

    public Uni<Void> tampered(UUID organizationId, UUID doorId, Instant at) {
        return write(organizationId, doorId, "tampered_at = coalesce(door_device_state.tampered_at, EXCLUDED.tampered_at)",
                "tampered_at", at);
    }

    public Uni<Void> lockedOut(UUID organizationId, UUID doorId, Instant until) {
        return write(organizationId, doorId, "locked_out_until = greatest(door_device_state.locked_out_until, EXCLUDED.locked_out_until)",
                "locked_out_until", until);
    }

    public Uni<Void> presence(UUID organizationId, UUID doorId, boolean online, Instant at) {
        return pool.preparedQuery("INSERT INTO door_device_state (door_id, organization_id, online, presence_at) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (door_id) DO UPDATE SET online = EXCLUDED.online, presence_at = EXCLUDED.presence_at, updated_at = now() "
                        + "WHERE door_device_state.presence_at IS NULL OR door_device_state.presence_at <= EXCLUDED.presence_at RETURNING *")
                .execute(Tuple.of(doorId, organizationId, online, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .flatMap(rows -> reload(doorId));
    }

    /** Reads the door's row again (after an operator cleared tamper here or on another replica). */
    public Uni<Void> reload(UUID doorId) {
        return pool.preparedQuery("SELECT * FROM door_device_state WHERE door_id = $1").execute(Tuple.of(doorId))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        states.remove(doorId);
                    }
                    rows.forEach(this::remember);
                })
                .replaceWithVoid();
    }

    private Uni<Void> write(UUID organizationId, UUID doorId, String update, String column, Instant value) {
        return pool.preparedQuery("INSERT INTO door_device_state (door_id, organization_id, " + column + ") VALUES ($1, $2, $3) "
                        + "ON CONFLICT (door_id) DO UPDATE SET " + update + ", updated_at = now()")
                .execute(Tuple.of(doorId, organizationId, OffsetDateTime.ofInstant(value, ZoneOffset.UTC)))
                .flatMap(rows -> reload(doorId));
    }

    private void remember(Row row) {
        states.put(row.getUUID("door_id"), new Known(row.getUUID("organization_id"), new DeviceState(instant(row, "tampered_at"),
                instant(row, "locked_out_until"), row.getBoolean("online"), instant(row, "presence_at"))));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
