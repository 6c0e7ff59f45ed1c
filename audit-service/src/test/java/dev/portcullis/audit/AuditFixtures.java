package dev.portcullis.audit;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.UnlockAcknowledged;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.events.v1.UnlockDispatched;
import dev.portcullis.proto.events.v1.UnlockExpired;
import dev.portcullis.proto.events.v1.UnlockFailed;
import dev.portcullis.proto.events.v1.UnlockRequested;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Reason;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test helpers: events as producers write them, a real Kafka producer, and JDBC reads of what was recorded. */
public final class AuditFixtures {

    public static final String UNLOCK_TOPIC = "portcullis.unlock.v1";
    public static final String LOCK_TOPIC = "portcullis.lock.v1";
    public static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaProducer<String, byte[]> producer;

    private AuditFixtures() {
    }

    /** Sends a record and waits until the broker has it. */
    public static void send(String topic, String key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(config);
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close));
        }
        return producer;
    }

    /** An envelope about something a user of {@code organization} did, with the payload set by {@code payload}. */
    public static EventEnvelope event(UUID organization, ActorType actorType, String actorId,
            Consumer<EventEnvelope.Builder> payload) {
        Instant now = Instant.now();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOrganizationId(organization.toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setSource("command-service")
                .setActor(Actor.newBuilder().setType(actorType).setId(actorId).setOrganizationId(organization.toString()));
        payload.accept(envelope);
        return envelope.build();
    }

    /** The six unlock-path events of one action attempt, in the order command-service emits them. */
    public static List<EventEnvelope> unlockEvents(UUID organization, String subject, String door, String lock, String attempt) {
        String command = UUID.randomUUID().toString();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockRequested(UnlockRequested.newBuilder()
                .setActionAttemptId(attempt).setDoorId(door).setAction(LockAction.LOCK_ACTION_UNLOCK)
                .setMethod(AccessMethod.ACCESS_METHOD_APP))));
        events.add(event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockDecided(UnlockDecided.newBuilder()
                .setActionAttemptId(attempt).setDoorId(door).setDecision(Decision.DECISION_PERMIT)
                .addReasons(Reason.REASON_GRANT_MATCHED).setPolicyVersion("3"))));
        events.add(event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockDispatched(UnlockDispatched.newBuilder()
                .setActionAttemptId(attempt).setDoorId(door).setLockId(lock).setCommandId(command).setCounter(7))));
        events.add(event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockAcknowledged(UnlockAcknowledged.newBuilder()
                .setActionAttemptId(attempt).setDoorId(door).setLockId(lock).setCommandId(command))));
        events.add(event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockFailed(UnlockFailed.newBuilder()
                .setActionAttemptId(attempt).setDoorId(door).setLockId(lock).setCommandId(command).setReason("LOCK_OFFLINE"))));
        events.add(event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockExpired(UnlockExpired.newBuilder()
                .setActionAttemptId(attempt).setDoorId(door).setLockId(lock).setCommandId(command))));
        return events;
    }

    public static EventEnvelope lockEvent(UUID organization, String lock, String door, LockEventType type) {
        return event(organization, ActorType.ACTOR_TYPE_LOCK, lock, e -> e.setLockEventReported(LockEventReported.newBuilder()
                .setLockId(lock).setDoorId(door)
                .setEvent(LockEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(type))));
    }

    public static void sendAll(String topic, String key, List<EventEnvelope> events) {
        events.forEach(event -> send(topic, key, event.toByteArray()));
    }

    /** Waits until the event is recorded and returns its entry. */
    public static Map<String, Object> awaitEntry(AgroalDataSource db, String eventId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> count(db, "select count(*) from audit_entry where event_id = ?::uuid", eventId) == 1);
        return entries(db, "select * from audit_entry where event_id = ?::uuid", eventId).get(0);
    }

    public static long count(AgroalDataSource db, String sql, Object... parameters) {
        return ((Number) entries(db, sql, parameters).get(0).values().iterator().next()).longValue();
    }

    /** Rows as column → value maps (bytea as byte[], text[] as String[]). */
    public static List<Map<String, Object>> entries(AgroalDataSource db, String sql, Object... parameters) {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                while (rows.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                        Object value = rows.getObject(column);
                        if (value instanceof java.sql.Array array) {
                            value = array.getArray();
                        }
                        row.put(rows.getMetaData().getColumnName(column), value);
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int execute(AgroalDataSource db, String sql, Object... parameters) throws SQLException {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
