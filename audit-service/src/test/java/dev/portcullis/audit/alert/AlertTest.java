package dev.portcullis.audit.alert;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.WAIT;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.count;
import static dev.portcullis.audit.AuditFixtures.entries;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockPresenceChanged;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Alerts end to end: events on real Kafka, entries and alerts in real PostgreSQL, deliveries to a real
 * HTTP receiver on loopback, all through the REST API with real tokens.
 */
@QuarkusTest
class AlertTest {

    @Inject
    AgroalDataSource db;

    private static String operator(UUID organization) {
        return TestIssuer.shared().token("ops-" + organization, organization.toString(), "operator").sign();
    }

    /** Creates a subscription through the API and returns (id, secret). */
    private static String[] subscribe(UUID organization, String url, String... kinds) {
        JsonPath created = given().auth().oauth2(operator(organization)).contentType("application/json")
                .body(Map.of("url", url, "kinds", List.of(kinds)))
                .when().post("/v1/alert-subscriptions")
                .then().statusCode(201).header("Cache-Control", "no-store")
                .body("secret", startsWith("whsec_"))
                .extract().jsonPath();
        return new String[] {created.getString("id"), created.getString("secret")};
    }

    private List<Map<String, Object>> alertsFor(String eventId) {
        return entries(db, "select * from alert where source_event_id = ?::uuid order by kind", eventId);
    }

    private Map<String, Object> awaitAlert(String eventId, String kind) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> alertsFor(eventId).stream().anyMatch(alert -> kind.equals(alert.get("kind"))));
        return alertsFor(eventId).stream().filter(alert -> kind.equals(alert.get("kind"))).findFirst().orElseThrow();
    }

    /** Verifies a Standard Webhooks signature the way a receiver would, independently of the service's code. */
    private static boolean validSignature(String secret, WebhookReceiver.Received request) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((request.header("webhook-id") + "." + request.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(request.body());
        for (String candidate : request.header("webhook-signature").split(" ")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aDuressAlertReachesAWebhookOnLoopbackWithAValidSignature() throws Exception {
        UUID organization = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(204)) {
            String[] subscription = subscribe(organization, receiver.url(), "duress");
            String lock = "lock-" + UUID.randomUUID();
            EventEnvelope duress = AuditFixtures.lockEvent(organization, lock, "door-7", LockEventType.LOCK_EVENT_TYPE_DURESS);
            AuditFixtures.send(LOCK_TOPIC, lock, duress.toByteArray());

            await().atMost(WAIT).until(() -> receiver.received().size() == 1);
            WebhookReceiver.Received request = receiver.received().get(0);
            assertEquals("POST", request.header(":method"));
            assertEquals("application/json", request.header("content-type"));
            assertTrue(validSignature(subscription[1], request), "the signature verifies with the subscription's secret");
            assertFalse(validSignature("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), request),
                    "and not with another secret");
            long timestamp = Long.parseLong(request.header("webhook-timestamp"));
            assertTrue(Math.abs(Instant.now().getEpochSecond() - timestamp) < 300, "a current timestamp");
            JsonPath body = new JsonPath(new String(request.body(), StandardCharsets.UTF_8));
            assertEquals("alert.duress", body.getString("type"));
            assertEquals("duress", body.getString("data.kind"));
            assertEquals("critical", body.getString("data.severity"));
            assertEquals(lock, body.getString("data.lockId"));
            assertEquals("door-7", body.getString("data.doorId"));
            assertEquals(organization.toString(), body.getString("data.organizationId"));
            assertEquals(duress.getEventId(), body.getString("data.sourceEventId"));
            long sequence = ((Number) awaitEntry(db, duress.getEventId()).get("sequence")).longValue();
            assertEquals(sequence, body.getLong("data.sourceSequence"));

            String alertId = body.getString("data.id");
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(operator(organization))
                    .when().get("/v1/alerts/" + alertId)
                    .then().statusCode(200)
                    .body("alert.kind", equalTo("duress"))
                    .body("deliveries.size()", equalTo(1))
                    .body("deliveries[0].subscriptionId", equalTo(subscription[0]))
                    .body("deliveries[0].status", equalTo("delivered"))
                    .body("deliveries[0].attempts", equalTo(1))
                    .body("deliveries[0].lastStatus", equalTo(204)));
            assertEquals("msg_" + given().auth().oauth2(operator(organization)).get("/v1/alerts/" + alertId).jsonPath()
                    .getString("deliveries[0].id"), request.header("webhook-id"));
        }
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffThenTheDeliveryFails() throws Exception {
        UUID organization = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(500)) {
            subscribe(organization, receiver.url());
            String lock = "lock-" + UUID.randomUUID();
            EventEnvelope tamper = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_TAMPER);
            AuditFixtures.send(LOCK_TOPIC, lock, tamper.toByteArray());
            Map<String, Object> alert = awaitAlert(tamper.getEventId(), "tamper");

            // max-attempts 3, initial back-off 1 s (test profile): attempts at t, t + >=1 s, t + 1 s + >=2 s.
            await().atMost(WAIT).until(() -> receiver.received().size() == 3);
            List<WebhookReceiver.Received> attempts = receiver.received();
            Duration first = Duration.between(attempts.get(0).at(), attempts.get(1).at());
            Duration second = Duration.between(attempts.get(1).at(), attempts.get(2).at());
            assertTrue(first.toMillis() >= 900, "first pause " + first);
            assertTrue(second.toMillis() >= 1900, "second pause, doubled: " + second);
            assertEquals(1, attempts.stream().map(request -> request.header("webhook-id")).distinct().count(),
                    "the same webhook-id on every attempt");
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(operator(organization))
                    .when().get("/v1/alerts/" + alert.get("id"))
                    .then().statusCode(200)
                    .body("deliveries[0].status", equalTo("failed"))
                    .body("deliveries[0].attempts", equalTo(3))
                    .body("deliveries[0].lastStatus", equalTo(500))
                    .body("deliveries[0].nextAttemptAt", equalTo(null)));
            Thread.sleep(5_000);
            assertEquals(3, receiver.received().size(), "no attempt after the last");
        }
    }

    @Test
    void aRedeliveredEventRaisesOneAlert() throws Exception {
        UUID organization = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            subscribe(organization, receiver.url());
            String lock = "lock-" + UUID.randomUUID();
            EventEnvelope lowBattery = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_LOW_BATTERY);
            EventEnvelope after = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_DOOR_STATE);
            AuditFixtures.send(LOCK_TOPIC, lock, lowBattery.toByteArray());
            AuditFixtures.send(LOCK_TOPIC, lock, lowBattery.toByteArray());
            AuditFixtures.send(LOCK_TOPIC, lock, after.toByteArray());
            awaitEntry(db, after.getEventId());
            awaitAlert(lowBattery.getEventId(), "low_battery");
            await().atMost(WAIT).until(() -> receiver.received().size() >= 1);
            Thread.sleep(3_000);
            assertEquals(1, alertsFor(lowBattery.getEventId()).size());
            assertEquals(1, receiver.received().size(), "delivered once");
            assertEquals(0, alertsFor(after.getEventId()).size(), "a door-state event raises nothing");
        }
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndAlertedAndTheConsumerGoesOn() {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        byte[] poison = ("not an envelope " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        EventEnvelope next = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_DOOR_STATE);
        AuditFixtures.send(LOCK_TOPIC, lock, poison);
        AuditFixtures.send(LOCK_TOPIC, lock, next.toByteArray());
        awaitEntry(db, next.getEventId());
        List<Map<String, Object>> dead = entries(db, "select * from dead_letter where payload = ?", (Object) poison);
        assertEquals(1, dead.size());
        long id = ((Number) dead.get(0).get("id")).longValue();
        List<Map<String, Object>> alerts = entries(db, "select * from alert where source_key = ?", "dead_letter:" + id);
        assertEquals(1, alerts.size());
        assertEquals("dead_letter", alerts.get(0).get("kind"));
        assertEquals("high", alerts.get(0).get("severity"));
        assertTrue(((String) alerts.get(0).get("detail")).contains(LOCK_TOPIC), "names where the record sits");
    }

    @Test
    void anotherOrganizationsAlertsAndSubscriptionsAreInvisible() throws Exception {
        UUID orgA = UUID.randomUUID();
        UUID orgB = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(204)) {
            String[] subscriptionA = subscribe(orgA, receiver.url());
            String lock = "lock-" + UUID.randomUUID();
            EventEnvelope tamper = AuditFixtures.lockEvent(orgA, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_TAMPER);
            AuditFixtures.send(LOCK_TOPIC, lock, tamper.toByteArray());
            Object alertId = awaitAlert(tamper.getEventId(), "tamper").get("id");

            given().auth().oauth2(operator(orgA)).get("/v1/alerts/" + alertId).then().statusCode(200);
            given().auth().oauth2(operator(orgA)).get("/v1/alerts").then().statusCode(200).body("id", org.hamcrest.Matchers
                    .hasItem(alertId.toString()));
            given().auth().oauth2(operator(orgA)).get("/v1/alert-subscriptions/" + subscriptionA[0]).then().statusCode(200)
                    .body("url", equalTo(receiver.url())).body("secret", equalTo(null));

            String b = operator(orgB);
            given().auth().oauth2(b).get("/v1/alerts/" + alertId).then().statusCode(404)
                    .contentType("application/problem+json");
            given().auth().oauth2(b).get("/v1/alerts").then().statusCode(200).body("size()", equalTo(0));
            given().auth().oauth2(b).get("/v1/alert-subscriptions").then().statusCode(200).body("size()", equalTo(0));
            given().auth().oauth2(b).get("/v1/alert-subscriptions/" + subscriptionA[0]).then().statusCode(404);
            given().auth().oauth2(b).delete("/v1/alert-subscriptions/" + subscriptionA[0]).then().statusCode(404);
            given().auth().oauth2(operator(orgA)).get("/v1/alert-subscriptions/" + subscriptionA[0]).then().statusCode(200);

            // Not an operator, or no token: refused.
            String tenant = TestIssuer.shared().token("tenant-" + orgA, orgA.toString(), "tenant").sign();
            given().auth().oauth2(tenant).get("/v1/alerts").then().statusCode(403);
            given().auth().oauth2(tenant).contentType("application/json").body(Map.of("url", receiver.url()))
                    .post("/v1/alert-subscriptions").then().statusCode(403);
            given().get("/v1/alerts").then().statusCode(401);

            // Deleting it: gone for its own organization too, and deliveries stop.
            given().auth().oauth2(operator(orgA)).delete("/v1/alert-subscriptions/" + subscriptionA[0]).then().statusCode(204);
            given().auth().oauth2(operator(orgA)).get("/v1/alert-subscriptions/" + subscriptionA[0]).then().statusCode(404);
        }
    }

    @Test
    void badSubscriptionsAreRefusedWithProblems() {
        UUID organization = UUID.randomUUID();
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("url", "ftp://example.com/hook"),
                Map.of("url", "http://user:pw@127.0.0.1/hook"), Map.of("kinds", List.of("duress")),
                Map.of("url", "http://127.0.0.1/hook", "kinds", List.of("fire")))) {
            given().auth().oauth2(operator(organization)).contentType("application/json").body(body)
                    .when().post("/v1/alert-subscriptions")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://portcullis.dev/problems/invalid-parameter"));
        }
        given().auth().oauth2(operator(organization)).get("/v1/alerts/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(operator(organization)).get("/v1/alerts?kind=fire").then().statusCode(400);
    }

    @Test
    void clockSkewLockoutAndRepeatedDenialsRaiseAlerts() {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope skew = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_CLOCK_SKEW);
        EventEnvelope lockout = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_LOCKOUT);
        AuditFixtures.send(LOCK_TOPIC, lock, skew.toByteArray());
        AuditFixtures.send(LOCK_TOPIC, lock, lockout.toByteArray());
        assertEquals("medium", awaitAlert(skew.getEventId(), "clock_skew").get("severity"));
        assertEquals("high", awaitAlert(lockout.getEventId(), "lockout").get("severity"));

        // Threshold 3 in the test profile: three subjects denied at one door → one door alert, no subject alert.
        String door = "door-" + UUID.randomUUID();
        List<EventEnvelope> denials = List.of(denial(organization, "s1", door), denial(organization, "s2", door),
                denial(organization, "s3", door));
        denials.forEach(event -> AuditFixtures.send(UNLOCK_TOPIC, door, event.toByteArray()));
        denials.forEach(event -> awaitEntry(db, event.getEventId()));
        Map<String, Object> alert = awaitAlert(denials.get(2).getEventId(), "repeated_denials");
        assertEquals(door, alert.get("door_id"));
        assertEquals(1, count(db, "select count(*) from alert where organization_id = ?::uuid and kind = 'repeated_denials'",
                organization.toString()));
        assertEquals(0, alertsFor(denials.get(0).getEventId()).size());
        assertEquals(0, alertsFor(denials.get(1).getEventId()).size());

        // One subject denied three times at different doors → one subject alert.
        List<EventEnvelope> sameSubject = List.of(denial(organization, "eve", "d-1"), denial(organization, "eve", "d-2"),
                denial(organization, "eve", "d-3"));
        sameSubject.forEach(event -> AuditFixtures.send(UNLOCK_TOPIC, "eve", event.toByteArray()));
        Map<String, Object> subjectAlert = awaitAlert(sameSubject.get(2).getEventId(), "repeated_denials");
        assertEquals("eve", subjectAlert.get("subject_id"));
    }

    @Test
    void aLockOfflineTooLongRaisesAnAlertAndOneThatCameBackDoesNot() {
        UUID organization = UUID.randomUUID();
        String gone = "lock-" + UUID.randomUUID();
        String back = "lock-" + UUID.randomUUID();
        EventEnvelope goneOffline = presence(organization, gone, false);
        EventEnvelope backOffline = presence(organization, back, false);
        EventEnvelope backOnline = presence(organization, back, true);
        AuditFixtures.send(LOCK_TOPIC, gone, goneOffline.toByteArray());
        AuditFixtures.send(LOCK_TOPIC, back, backOffline.toByteArray());
        AuditFixtures.send(LOCK_TOPIC, back, backOnline.toByteArray());
        awaitEntry(db, backOnline.getEventId());
        // offline-after 2 s, checked every second (test profile).
        Map<String, Object> alert = awaitAlert(goneOffline.getEventId(), "lock_offline");
        assertEquals(gone, alert.get("lock_id"));
        assertNotNull(alert.get("source_sequence"));
        assertEquals(0, alertsFor(backOffline.getEventId()).size());
        assertEquals(1, alertsFor(goneOffline.getEventId()).size(), "raised once, however often the check runs");
    }

    @Test
    void everyAlertIsPublishedOnTheAlertTopic() throws Exception {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope duress = AuditFixtures.lockEvent(organization, lock, "door-3", LockEventType.LOCK_EVENT_TYPE_DURESS);
        AuditFixtures.send(LOCK_TOPIC, lock, duress.toByteArray());
        String alertId = awaitAlert(duress.getEventId(), "duress").get("id").toString();

        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "alert-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Alerts.TOPIC));
            Instant deadline = Instant.now().plus(WAIT);
            ConsumerRecord<String, byte[]> found = null;
            while (found == null && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (EventEnvelope.parseFrom(record.value()).getEventId().equals(alertId)) {
                        found = record;
                    }
                }
            }
            assertNotNull(found, "the alert reached " + Alerts.TOPIC);
            assertEquals(lock, found.key());
            EventEnvelope envelope = EventEnvelope.parseFrom(found.value());
            assertEquals(organization.toString(), envelope.getOrganizationId());
            assertEquals("audit-service", envelope.getSource());
            assertEquals(alertId, envelope.getAlertRaised().getAlertId());
            assertEquals("duress", envelope.getAlertRaised().getKind());
            assertEquals("critical", envelope.getAlertRaised().getSeverity());
            assertEquals(lock, envelope.getAlertRaised().getLockId());
            assertEquals(duress.getEventId(), envelope.getAlertRaised().getSourceEventId());
        }
    }

    private static EventEnvelope denial(UUID organization, String subject, String door) {
        return AuditFixtures.event(organization, ActorType.ACTOR_TYPE_USER, subject, e -> e.setUnlockDecided(UnlockDecided
                .newBuilder().setActionAttemptId(UUID.randomUUID().toString()).setDoorId(door)
                .setDecision(Decision.DECISION_DENY).addReasons(Reason.REASON_NO_GRANT)));
    }

    private static EventEnvelope presence(UUID organization, String lock, boolean online) {
        return AuditFixtures.event(organization, ActorType.ACTOR_TYPE_SERVICE, "command-service",
                e -> e.setLockPresenceChanged(LockPresenceChanged.newBuilder().setLockId(lock).setDoorId("door-1").setOnline(online)));
    }
}
