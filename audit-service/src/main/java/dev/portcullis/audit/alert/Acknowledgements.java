package dev.portcullis.audit.alert;

import com.google.protobuf.Timestamp;
import dev.portcullis.audit.chain.AuditChain;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.InvalidEventException;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.AlertAcknowledged;
import dev.portcullis.proto.events.v1.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Operators acknowledge their organization's alerts. In one transaction: the alert is locked, an
 * {@code alert_acknowledged} entry (actor: the operator) is appended to the audit chain, and the
 * acknowledgement row naming that entry is written: an acknowledgement is never without its audit entry.
 * An alert is acknowledged once; a second acknowledgement is refused (409) and the first stands.
 */
@ApplicationScoped
public class Acknowledgements {

    public static final int MAX_NOTE_LENGTH = 500;

    private static final Logger LOG = Logger.getLogger(Acknowledgements.class);

    @Inject
    Pool pool;

    @Inject
    AuditChain chain;

    public Uni<AcknowledgementView> acknowledge(UUID organization, UUID alertId, String operator, String note) {
        String text = note(note);
        // Lock the alert first, then look for an acknowledgement in a statement of its own: under READ COMMITTED that
        // statement sees one committed by a concurrent request that held the lock before us (a join in the locking
        // statement would not).
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT kind, door_id, lock_id FROM alert WHERE id = $1 AND organization_id = $2 FOR UPDATE")
                .execute(Tuple.of(alertId, organization))
                .flatMap(rows -> {
                    Iterator<Row> found = rows.iterator();
                    if (!found.hasNext()) {
                        throw ProblemException.notFound("alert");
                    }
                    Row alert = found.next();
                    return connection.preparedQuery("SELECT acknowledged_by, acknowledged_at FROM alert_acknowledgement WHERE alert_id = $1")
                            .execute(Tuple.of(alertId))
                            .flatMap(previous -> {
                                Iterator<Row> first = previous.iterator();
                                if (first.hasNext()) {
                                    Row existing = first.next();
                                    throw ProblemException.conflict("already-acknowledged", "The alert was acknowledged already")
                                            .with("acknowledgedBy", existing.getString("acknowledged_by"))
                                            .with("acknowledgedAt", existing.getOffsetDateTime("acknowledged_at").toInstant().toString());
                                }
                                return record(connection, organization, alertId, operator, text, alert);
                            });
                }));
    }

    private Uni<AcknowledgementView> record(SqlConnection connection, UUID organization, UUID alertId, String operator, String note,
            Row alert) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        AlertAcknowledged.Builder acknowledged = AlertAcknowledged.newBuilder().setAlertId(alertId.toString())
                .setKind(alert.getString("kind"));
        if (alert.getString("door_id") != null) {
            acknowledged.setDoorId(alert.getString("door_id"));
        }
        if (alert.getString("lock_id") != null) {
            acknowledged.setLockId(alert.getString("lock_id"));
        }
        if (note != null) {
            acknowledged.setNote(note);
        }
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOrganizationId(organization.toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setSource(Alerts.SOURCE)
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER).setId(operator))
                .setAlertAcknowledged(acknowledged)
                .build();
        EntryColumns columns;
        try {
            columns = EntryColumns.derive(envelope);
        } catch (InvalidEventException e) {
            throw ProblemException.badRequest("invalid-acknowledgement", e.getMessage());
        }
        return chain.appendIn(connection, List.of(new AuditChain.Offer(envelope.toByteArray(), columns)))
                .flatMap(appended -> {
                    long sequence = appended.get(0).sequence();
                    return connection.preparedQuery("INSERT INTO alert_acknowledgement (alert_id, organization_id, acknowledged_by,"
                                    + " acknowledged_at, note, audit_sequence) VALUES ($1, $2, $3, $4, $5, $6)")
                            .execute(Tuple.from(java.util.Arrays.asList(alertId, organization, operator, now.atOffset(ZoneOffset.UTC), note,
                                    sequence)))
                            .map(ignored -> {
                                LOG.infof("alert %s acknowledged by %s (audit entry %d)", alertId, operator, sequence);
                                return new AcknowledgementView(operator, now, note, sequence);
                            });
                });
    }

    private static String note(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        String trimmed = note.strip();
        if (trimmed.length() > MAX_NOTE_LENGTH) {
            throw ProblemException.badRequest("invalid-parameter", "note must be at most " + MAX_NOTE_LENGTH + " characters")
                    .with("parameter", "note");
        }
        return trimmed;
    }
}
