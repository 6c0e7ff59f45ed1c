package dev.portcullis.registry;

import dev.portcullis.registry.enrollment.EnrollmentSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Test data written straight into the service's (real, per-run) PostgreSQL database, and the rows read
 * back for assertions: every test gets its own property, door and lock, so tests do not depend on
 * each other's order.
 */
@ApplicationScoped
public class RegistryFixtures {

    public static final String TOPIC = "portcullis.registry.v1";

    @Inject
    DataSource dataSource;

    /** A door with a lock waiting for enrollment and the lock's one-time secret (the plain secret is only here). */
    public record PendingLock(UUID organizationId, UUID propertyId, UUID doorId, String doorName, UUID lockId, String secret) {
    }

    /** A lock row as stored. */
    public record LockRow(String status, byte[] signingSpki, String signingKeyId, byte[] agreementSpki,
            String agreementKeyId, int keyEpoch, String firmwareVersion, OffsetDateTime enrolledAt) {
    }

    /** An enrollment secret row as stored. */
    public record SecretRow(byte[] secretHash, OffsetDateTime usedAt, OffsetDateTime burnedAt, int failedAttempts) {
    }

    /** An outbox row as stored. */
    public record OutboxRow(UUID eventId, String topic, String recordKey, String eventType, byte[] payload,
            OffsetDateTime publishedAt) {
    }

    public PendingLock pendingLock() {
        return pendingLock(UUID.randomUUID());
    }

    /** A new property, door and pending lock of the organization, with a secret valid for an hour. */
    public PendingLock pendingLock(UUID organizationId) {
        UUID propertyId = UUID.randomUUID();
        UUID doorId = UUID.randomUUID();
        UUID lockId = UUID.randomUUID();
        String doorName = "Door " + doorId.toString().substring(0, 8);
        String secret = RegistryTestProfile.secret();
        door(organizationId, propertyId, doorId, doorName);
        update("insert into lock (id, organization_id, door_id, model, status) values (?, ?, ?, 'test-lock-model', 'PENDING_ENROLLMENT')",
                lockId, organizationId, doorId);
        update("insert into enrollment_secret (lock_id, secret_hash, expires_at) values (?, ?, now() + interval '1 hour')",
                lockId, EnrollmentSecrets.hash(secret));
        return new PendingLock(organizationId, propertyId, doorId, doorName, lockId, secret);
    }

    /** A new property and door of the organization with no lock on it; returns the door id. */
    public UUID doorWithoutLock(UUID organizationId) {
        UUID doorId = UUID.randomUUID();
        door(organizationId, UUID.randomUUID(), doorId, "Lockless door");
        return doorId;
    }

    /** A pending lock with no enrollment secret issued. */
    public UUID lockWithoutSecret(UUID organizationId) {
        UUID doorId = doorWithoutLock(organizationId);
        UUID lockId = UUID.randomUUID();
        update("insert into lock (id, organization_id, door_id, model, status) values (?, ?, ?, 'test-lock-model', 'PENDING_ENROLLMENT')",
                lockId, organizationId, doorId);
        return lockId;
    }

    /** Issues (or re-issues) a registered lock's one-time secret, valid for an hour; returns the plain secret. */
    public String issueSecret(UUID lockId) {
        String secret = RegistryTestProfile.secret();
        update("insert into enrollment_secret (lock_id, secret_hash, expires_at) values (?, ?, now() + interval '1 hour')"
                + " on conflict (lock_id) do update set secret_hash = excluded.secret_hash, expires_at = excluded.expires_at,"
                + " used_at = null, burned_at = null, failed_attempts = 0", lockId, EnrollmentSecrets.hash(secret));
        return secret;
    }

    /** Lets an ownership transfer run out. */
    public void expireTransfer(UUID transferId) {
        update("update lock_transfer set expires_at = now() - interval '1 second' where id = ?", transferId);
    }

    /** Lets an orphan claim's challenge run out. */
    public void expireOrphanClaim(UUID claimId) {
        update("update orphan_claim set expires_at = now() - interval '1 second' where id = ?", claimId);
    }

    /** The key ids revoked with the lock, sorted. */
    public List<String> revokedKeyIds(UUID lockId) {
        return query("select key_id from revoked_lock_key where lock_id = ? order by key_id", List.of(lockId), result -> result.getString(1));
    }

    public void expireSecret(UUID lockId) {
        update("update enrollment_secret set expires_at = now() - interval '1 second' where lock_id = ?", lockId);
    }

    public void retire(UUID lockId) {
        update("update lock set status = 'RETIRED' where id = ?", lockId);
    }

    /** Puts an enrolled lock back to awaiting enrollment (as a re-provisioning would), without issuing a new secret. */
    /** Moves the moment the lock's secret was used into the past. */
    public void secretUsedAgo(UUID lockId, Duration ago) {
        update("update enrollment_secret set used_at = used_at - make_interval(secs => ?) where lock_id = ?",
                (double) ago.toSeconds(), lockId);
    }

    /** Puts a registered lock in service as if it had enrolled (placeholder keys) running {@code firmwareVersion}. */
    public void enrolled(UUID lockId, String firmwareVersion) {
        update("update lock set status = 'ENROLLED', signing_key_spki = '\\x00', signing_key_id = 'test', agreement_key_spki = '\\x00',"
                + " agreement_key_id = 'test', key_epoch = 1, enrolled_at = now(), firmware_version = ? where id = ?", firmwareVersion, lockId);
    }

    public void awaitEnrollmentAgain(UUID lockId) {
        update("update lock set status = 'PENDING_ENROLLMENT' where id = ?", lockId);
    }

    public LockRow lock(UUID lockId) {
        return query("select status, signing_key_spki, signing_key_id, agreement_key_spki, agreement_key_id, key_epoch,"
                + " firmware_version, enrolled_at from lock where id = ?", List.of(lockId), result -> new LockRow(
                        result.getString(1), result.getBytes(2), result.getString(3), result.getBytes(4), result.getString(5),
                        result.getInt(6), result.getString(7), result.getObject(8, OffsetDateTime.class)))
                .stream().findFirst().orElse(null);
    }

    /** The model name stored on the lock (what the DeviceRegistry look-ups report). */
    public String lockModelName(UUID lockId) {
        return query("select model from lock where id = ?", List.of(lockId), result -> result.getString(1)).get(0);
    }

    public SecretRow secret(UUID lockId) {
        return query("select secret_hash, used_at, burned_at, failed_attempts from enrollment_secret where lock_id = ?",
                List.of(lockId), result -> new SecretRow(result.getBytes(1), result.getObject(2, OffsetDateTime.class),
                        result.getObject(3, OffsetDateTime.class), result.getInt(4)))
                .stream().findFirst().orElse(null);
    }

    /** The outbox rows keyed by the lock, oldest first. */
    public List<OutboxRow> outbox(UUID lockId) {
        return query("select event_id, topic, record_key, event_type, payload, published_at from outbox_event"
                + " where record_key = ? order by id", List.of(lockId.toString()), result -> new OutboxRow(
                        result.getObject(1, UUID.class), result.getString(2), result.getString(3), result.getString(4),
                        result.getBytes(5), result.getObject(6, OffsetDateTime.class)));
    }

    /** How many rows the table holds (to prove that a refused request wrote nothing anywhere). */
    public long count(String table) {
        return query("select count(*) from " + table, List.of(), result -> result.getLong(1)).get(0);
    }

    /** The first column of the first row (null when there is none). */
    public Object scalar(String sql, Object... parameters) {
        return query(sql, List.of(parameters), result -> result.getObject(1)).stream().findFirst().orElse(null);
    }

    private void door(UUID organizationId, UUID propertyId, UUID doorId, String name) {
        update("insert into property (id, organization_id, name, time_zone) values (?, ?, ?, 'Europe/Berlin')",
                propertyId, organizationId, "Property " + propertyId.toString().substring(0, 8));
        update("insert into door (id, organization_id, property_id, name) values (?, ?, ?, ?)",
                doorId, organizationId, propertyId, name);
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, List.of(parameters));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private interface Row<T> {
        T map(ResultSet result) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> parameters, Row<T> row) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(row.map(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
