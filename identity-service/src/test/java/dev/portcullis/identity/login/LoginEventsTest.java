package dev.portcullis.identity.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Login events: written to the outbox in the login's transaction, relayed to Kafka, free of secrets. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class LoginEventsTest {

    @Inject
    TestAccounts accounts;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    record OutboxRow(String topic, String eventType, byte[] payload, boolean published) {
    }

    List<OutboxRow> outboxRows(String key) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select topic, event_type, payload, published_at is not null from outbox_event where record_key = ? order by id")) {
            query.setString(1, key);
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new OutboxRow(result.getString(1), result.getString(2), result.getBytes(3), result.getBoolean(4)));
                }
            }
            return rows;
        }
    }

    @Test
    void aSuccessfulLoginWritesLoginSucceededThatReachesKafka() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        Browser browser = LoginSecurityTest.startFlow();
        LoginSecurityTest.assertRejectedPassword(browser.password(account.username(), "a-wrong-password-123"));
        browser.password(account.username(), account.password());
        String wrongCode = accounts.wrongCode(account.totpKey());
        LoginSecurityTest.assertRejectedCode(browser.totp(wrongCode));
        String code = accounts.code(account.totpKey());
        assertEquals(302, browser.totp(code).statusCode());

        List<OutboxRow> rows = outboxRows(account.id().toString());
        assertEquals(List.of("login_failed", "login_failed", "login_succeeded"), rows.stream().map(OutboxRow::eventType).toList());
        for (OutboxRow row : rows) {
            assertEquals(LoginEvents.TOPIC, row.topic());
            String payload = new String(row.payload(), StandardCharsets.ISO_8859_1);
            assertFalse(payload.contains(account.username()), "no username in events");
            assertFalse(payload.contains(account.password()), "no password in events");
            assertFalse(payload.contains("a-wrong-password-123"), "no submitted password in events");
            assertFalse(payload.contains(code) || payload.contains(wrongCode), "no TOTP code in events");
        }
        EventEnvelope failed = EventEnvelope.parseFrom(rows.get(1).payload());
        assertEquals("invalid_otp", failed.getLoginFailed().getReason());
        assertEquals(account.id().toString(), failed.getLoginFailed().getSubjectId());

        EventEnvelope written = EventEnvelope.parseFrom(rows.get(2).payload());
        assertEquals(IdentityTestProfile.ORG, written.getOrganizationId());
        assertEquals("identity-service", written.getSource());
        assertEquals(ActorType.ACTOR_TYPE_USER, written.getActor().getType());
        assertEquals(account.id().toString(), written.getActor().getId());
        assertEquals(account.id().toString(), written.getLoginSucceeded().getSubjectId());
        assertEquals(List.of("pwd", "otp", "mfa"), written.getLoginSucceeded().getAmrList());
        assertEquals("aal2", written.getLoginSucceeded().getAcr());
        assertEquals("portcullis-cli", written.getLoginSucceeded().getClientId());

        // The relay publishes it: consume the topic and find the very same event.
        EventEnvelope consumed = consume(written.getEventId(), Duration.ofSeconds(30));
        assertNotNull(consumed, "LoginSucceeded reached Kafka");
        assertEquals(written, consumed);
        assertTrue(outboxRows(account.id().toString()).get(2).published());
    }

    @Test
    void anUnknownUsernameIsRecordedWithoutTheUsername() throws Exception {
        String username = "ghost-" + UUID.randomUUID() + "@example.test";
        Browser browser = LoginSecurityTest.startFlow();
        LoginSecurityTest.assertRejectedPassword(browser.password(username, "whatever-1234"));
        List<OutboxRow> rows = outboxRows("client:portcullis-cli");
        assertFalse(rows.isEmpty());
        for (OutboxRow row : rows) {
            assertFalse(new String(row.payload(), StandardCharsets.ISO_8859_1).contains(username));
        }
        EventEnvelope last = EventEnvelope.parseFrom(rows.get(rows.size() - 1).payload());
        assertEquals("unknown_account", last.getLoginFailed().getReason());
        assertEquals("", last.getLoginFailed().getSubjectId());
    }

    EventEnvelope consume(String eventId, Duration timeout) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "identity-test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(LoginEvents.TOPIC));
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventEnvelope envelope = EventEnvelope.parseFrom(record.value());
                    if (envelope.getEventId().equals(eventId)) {
                        assertEquals(envelope.getLoginSucceeded().getSubjectId(), record.key());
                        assertEquals("login_succeeded", new String(record.headers().lastHeader("event_type").value(), StandardCharsets.UTF_8));
                        return envelope;
                    }
                }
            }
        }
        return null;
    }
}
