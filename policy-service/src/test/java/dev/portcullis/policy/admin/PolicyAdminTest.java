package dev.portcullis.policy.admin;

import static dev.portcullis.policy.admin.PolicyFixtures.authorize;
import static dev.portcullis.policy.admin.PolicyFixtures.token;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.PolicyChanged;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API, change events and the decision cache over real PostgreSQL, Kafka, HTTP and gRPC. */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class PolicyAdminTest {

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    @Inject
    PolicyCache cache;

    @Inject
    Pool pool;

    @BeforeEach
    void now() {
        clock.set(Instant.now());
    }

    @Test
    void aRevokedGrantDeniesTheVeryNextRequest() {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grantTo("alice");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "alice", f.door).getDecision());

        f.admin().delete("/grants/" + grant).then().statusCode(204);

        AuthorizeResponse next = authorize(policy, f.org, "alice", f.door);
        assertEquals(Decision.DECISION_DENY, next.getDecision());
        assertEquals(List.of(Reason.REASON_NO_GRANT), next.getReasonsList());
        f.admin().get("/grants/" + grant).then().statusCode(404);
    }

    @Test
    void everyChangeIsPublishedAsPolicyChangedWithVersionEntityAndActor() {
        PolicyFixtures f = new PolicyFixtures();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("portcullis.policy.v1"));
            UUID grant = f.grantTo("bob");
            long version = Long.parseLong(authorize(policy, f.org, "bob", f.door).getPolicyVersion());

            List<EventEnvelope> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    EventEnvelope envelope = EventEnvelope.parseFrom(record.value());
                    if (envelope.getOrganizationId().equals(f.org.toString()) && envelope.hasPolicyChanged()
                            && envelope.getPolicyChanged().getEntityId().equals(grant.toString())) {
                        seen.add(envelope);
                    }
                }
                return !seen.isEmpty();
            });
            EventEnvelope envelope = seen.get(0);
            PolicyChanged change = envelope.getPolicyChanged();
            assertEquals("grant", change.getEntityType());
            assertEquals("created", change.getOperation());
            assertEquals(version, change.getPolicyVersion());
            assertEquals(f.operator, envelope.getActor().getId());
            assertEquals("policy-service", envelope.getSource());
        }
        Long history = pool.preparedQuery("SELECT count(*) AS n FROM policy_change WHERE organization_id = $1 AND entity_type = 'grant' "
                + "AND actor = $2 AND after IS NOT NULL").execute(Tuple.of(f.org, f.operator)).await().indefinitely()
                .iterator().next().getLong("n");
        assertEquals(1L, history);
    }

    @Test
    void aChangeMadeByAnotherReplicaReachesTheNextDecisionWithinOneSecond() {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grantTo("carol");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "carol", f.door).getDecision());
        awaitPolicyListenerLive();

        // Another replica revokes the grant: the database changes behind this replica's cache ...
        long version = pool.withTransaction(c -> c.preparedQuery("DELETE FROM access_grant WHERE id = $1").execute(Tuple.of(grant))
                .flatMap(x -> c.preparedQuery("UPDATE policy_version SET version = version + 1 WHERE organization_id = $1 RETURNING version")
                        .execute(Tuple.of(f.org)))
                .map(rows -> rows.iterator().next().getLong("version"))).await().indefinitely();
        // ... which still answers from memory (the cache is what decides) ...
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "carol", f.door).getDecision());

        // ... until the other replica's PolicyChanged arrives.
        PolicyFixtures.publish("portcullis.policy.v1", f.org.toString(), PolicyFixtures.event(f.org, e -> e.setPolicyChanged(
                PolicyChanged.newBuilder().setEntityType("grant").setEntityId(grant.toString()).setOperation("deleted")
                        .setPolicyVersion(version).setSummary("grant revoked"))));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> authorize(policy, f.org, "carol", f.door).getDecision() == Decision.DECISION_DENY);
    }

    /** The listener reads from the newest offset: wait until it is assigned (an unrelated event is heard). */
    private void awaitPolicyListenerLive() {
        long before = cache.eventsSeen();
        UUID nobody = UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            PolicyFixtures.publish("portcullis.policy.v1", nobody.toString(), PolicyFixtures.event(nobody, e -> e.setPolicyChanged(
                    PolicyChanged.newBuilder().setEntityType("grant").setEntityId("warm-up").setOperation("updated").setPolicyVersion(1))));
            return cache.eventsSeen() > before;
        });
    }

    @Test
    void anOperatorSeesAndTouchesNothingOfAnotherOrganization() {
        PolicyFixtures a = new PolicyFixtures();
        PolicyFixtures b = new PolicyFixtures();
        UUID bGrant = b.grantTo("dana");

        // B's objects do not exist for A's operator, whether asked under A's path or B's.
        a.admin().get("/grants/" + bGrant).then().statusCode(404);
        a.admin().delete("/grants/" + bGrant).then().statusCode(404);
        a.admin().get("/doors/" + b.door).then().statusCode(404);
        a.as(token(a.operator, a.org, "operator")).basePath("/admin/v1/organizations/" + b.org).get("/grants/" + bGrant)
                .then().statusCode(404).contentType("application/problem+json");
        a.as(token(a.operator, a.org, "operator")).basePath("/admin/v1/organizations/" + b.org).get("/grants")
                .then().statusCode(404);
        // Nor can A refer to them.
        a.admin().body(Map.of("granteeKind", "subject", "granteeValue", "eve", "doorId", b.door.toString()))
                .post("/grants").then().statusCode(422).contentType("application/problem+json");
        a.admin().body(Map.of("propertyId", b.property.toString(), "name", "Sneaky")).put("/doors/" + UUID.randomUUID())
                .then().statusCode(422);
        // Taking over B's door id under A fails and leaves B's door alone.
        a.admin().body(Map.of("propertyId", a.property.toString(), "name", "Hijack")).put("/doors/" + b.door).then().statusCode(409);
        b.admin().get("/doors/" + b.door).then().statusCode(200).body("name", equalTo("Front entrance"));

        // Decisions: A's organization does not know B's door; B's grant is untouched.
        AuthorizeResponse cross = authorize(policy, a.org, "dana", b.door);
        assertEquals(Decision.DECISION_DENY, cross.getDecision());
        assertEquals(List.of(Reason.REASON_UNKNOWN_DOOR), cross.getReasonsList());
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, b.org, "dana", b.door).getDecision());
    }

    @Test
    void badRequestsAreProblemsAndOnlyOperatorsAdminister() {
        PolicyFixtures f = new PolicyFixtures();
        f.admin().body(Map.of("granteeKind", "subject", "granteeValue", "x")).post("/grants")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("doorId"));
        f.admin().body(Map.of("granteeKind", "subject", "granteeValue", "x", "doorId", f.door.toString(), "schedule", "MON 25:00-26:00"))
                .post("/grants").then().statusCode(400).contentType("application/problem+json");
        f.admin().body(Map.of("granteeKind", "wizard", "granteeValue", "x", "doorId", f.door.toString())).post("/grants")
                .then().statusCode(400);
        f.admin().body(Map.of("granteeKind", "subject", "granteeValue", "x", "doorId", UUID.randomUUID().toString())).post("/grants")
                .then().statusCode(422);
        f.admin().body(Map.of("name", "Nowhere", "timeZone", "Mars/Olympus")).post("/properties").then().statusCode(400);
        f.admin().body("{\"name\": ").post("/properties").then().statusCode(400).contentType("application/problem+json");
        // A misspelled field is refused, not ignored (here it would have silently dropped the schedule).
        f.admin().body(Map.of("granteeKind", "subject", "granteeValue", "x", "doorId", f.door.toString(), "schedual", "MON 08:00-18:00"))
                .post("/grants").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://portcullis.dev/problems/malformed-body"))
                .body("detail", equalTo("Unknown field 'schedual'"));
        f.admin().body(Map.of("granteeKind", "group", "granteeValue", UUID.randomUUID().toString(), "doorId", f.door.toString()))
                .post("/grants").then().statusCode(422);
        f.admin().body(Map.of("name", "Vault", "requiredAcr", "aal9")).post("/tiers").then().statusCode(400);
        // A door that grants still name cannot be deleted.
        f.grantTo("fay");
        f.admin().delete("/doors/" + f.door).then().statusCode(409).contentType("application/problem+json");

        f.as(token("tenant-" + f.org, f.org, "tenant")).get("/grants").then().statusCode(403);
        f.as(token("tenant-" + f.org, f.org, "tenant")).body(Map.of("name", "P", "timeZone", "UTC")).post("/properties")
                .then().statusCode(403);
        f.as("not-a-token").get("/grants").then().statusCode(401);
    }

    @Test
    void aLockdownNeedsARecentStrongSignInAndLetsOnlyTheEmergencyRoleIn() {
        PolicyFixtures f = new PolicyFixtures();
        f.grantTo("gus");
        f.grantTo("hal");
        f.admin().body(Map.of("subjectId", "hal", "role", "emergency", "propertyId", f.property.toString()))
                .post("/role-assignments").then().statusCode(201);
        Map<String, String> body = Map.of("reason", "fire alarm");
        String lockdown = "/properties/" + f.property + "/lockdown";

        String weak = TestIssuer.shared().token(f.operator, f.org.toString(), "operator").claim("acr", "aal1").sign();
        f.as(weak).body(body).post(lockdown).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"insufficient_user_authentication\""))
                .contentType("application/problem+json");
        String old = TestIssuer.shared().token(f.operator, f.org.toString(), "operator")
                .issuedAgo(Duration.ofMinutes(20), Duration.ofMinutes(30)).sign();
        f.as(old).body(body).post(lockdown).then().statusCode(401)
                .header("WWW-Authenticate", containsString("insufficient_user_authentication"));
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "gus", f.door).getDecision());

        f.admin().body(body).post(lockdown).then().statusCode(200).body("lockdownReason", equalTo("fire alarm"))
                .body("lockdownBy", equalTo(f.operator));

        AuthorizeResponse denied = authorize(policy, f.org, "gus", f.door);
        assertEquals(List.of(Reason.REASON_LOCKDOWN), denied.getReasonsList());
        AuthorizeResponse emergency = authorize(policy, f.org, "hal", f.door);
        assertEquals(Decision.DECISION_PERMIT, emergency.getDecision());
        assertTrue(emergency.getReasonsList().contains(Reason.REASON_EMERGENCY_OVERRIDE));
        assertEquals("lockdown", emergency.getObligations(0).getNotify().getTopic());

        f.as(weak).delete(lockdown).then().statusCode(401);
        f.admin().delete(lockdown).then().statusCode(200);
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "gus", f.door).getDecision());
    }

    @Test
    void aUseLimitedGrantGivesExactlyItsUsesUnderConcurrency() throws Exception {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grant(Map.of("granteeKind", "subject", "granteeValue", "ivy", "doorId", f.door.toString(), "maxUses", 3));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<AuthorizeResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> authorize(policy, f.org, "ivy", f.door));
            }
            List<AuthorizeResponse> answers = new ArrayList<>();
            for (Future<AuthorizeResponse> answer : pool.invokeAll(calls)) {
                answers.add(answer.get());
            }
            assertEquals(3, answers.stream().filter(a -> a.getDecision() == Decision.DECISION_PERMIT).count());
            assertTrue(answers.stream().filter(a -> a.getDecision() == Decision.DECISION_DENY)
                    .allMatch(a -> a.getReasonsList().equals(List.of(Reason.REASON_USE_LIMIT_REACHED))));
        } finally {
            pool.shutdownNow();
        }
        f.admin().get("/grants/" + grant).then().statusCode(200).body("used", equalTo(3));
    }

    @Test
    void aTamperedLockClosesItsDoorUntilAnOperatorClearsIt() {
        PolicyFixtures f = new PolicyFixtures();
        f.grantTo("jo");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "jo", f.door).getDecision());

        // The lock consumer reads from the newest offset: report until it has been heard.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            PolicyFixtures.publish("portcullis.lock.v1", "lock-1", PolicyFixtures.event(f.org, e -> e.setLockEventReported(
                    LockEventReported.newBuilder().setLockId("lock-1").setDoorId(f.door.toString())
                            .setEvent(LockEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                                    .setType(LockEventType.LOCK_EVENT_TYPE_TAMPER)))));
            return authorize(policy, f.org, "jo", f.door).getReasonsList().equals(List.of(Reason.REASON_DEVICE_TAMPERED));
        });
        // Device state never tells someone without access anything.
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "stranger", f.door).getReasonsList());
        f.admin().get("/doors/" + f.door).then().statusCode(200).body("tamperedAt", org.hamcrest.Matchers.notNullValue());

        f.admin().delete("/doors/" + f.door + "/tamper").then().statusCode(200);
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "jo", f.door).getDecision());
    }

    @Test
    void anExplanationShowsTheRulesThatDecidedWithoutConsumingAnything() {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grant(Map.of("granteeKind", "subject", "granteeValue", "kim", "doorId", f.door.toString(),
                "schedule", "MON-FRI 08:00-18:00", "maxUses", 1));
        // 2026-11-26 is a Thursday; the property is in UTC.
        f.admin().queryParam("subject", "kim").queryParam("door", f.door.toString()).queryParam("at", "2026-11-26T10:00:00Z")
                .get("/review/explain").then().statusCode(200).body("permit", equalTo(true))
                .body("grantId", equalTo(grant.toString())).body("trace.rule", org.hamcrest.Matchers.hasItem("grant " + grant));
        f.admin().queryParam("subject", "kim").queryParam("door", f.door.toString()).queryParam("at", "2026-11-28T10:00:00Z")
                .get("/review/explain").then().statusCode(200).body("permit", equalTo(false))
                .body("reasons", org.hamcrest.Matchers.contains("REASON_OUTSIDE_SCHEDULE"));
        f.admin().queryParam("subject", "kim").queryParam("door", f.door.toString()).queryParam("at", "yesterday")
                .get("/review/explain").then().statusCode(400).contentType("application/problem+json");
        // Explaining consumed nothing: the single use is still there.
        f.admin().get("/grants/" + grant).then().statusCode(200).body("used", org.hamcrest.Matchers.nullValue());
        // Another organization's operator cannot ask about it.
        PolicyFixtures other = new PolicyFixtures();
        other.as(token(other.operator, other.org, "operator")).basePath("/admin/v1/organizations/" + f.org)
                .queryParam("subject", "kim").queryParam("door", f.door.toString()).get("/review/explain").then().statusCode(404);
        other.admin().queryParam("subject", "kim").queryParam("door", f.door.toString()).get("/review/explain").then()
                .statusCode(200).body("reasons", org.hamcrest.Matchers.contains("REASON_UNKNOWN_DOOR"));
    }

    @Test
    void whoCanOpenADoorDuringAWeekAndWhatASubjectCanOpen() {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grant(Map.of("granteeKind", "subject", "granteeValue", "kim", "doorId", f.door.toString(),
                "schedule", "MON-FRI 08:00-18:00"));
        // Monday 2026-11-23 to Monday 2026-11-30, property in UTC.
        f.admin().queryParam("from", "2026-11-23T00:00:00Z").queryParam("to", "2026-11-30T00:00:00Z")
                .get("/review/doors/" + f.door + "/access").then().statusCode(200)
                .body("subjects.subjectId", org.hamcrest.Matchers.contains("kim"))
                .body("subjects[0].intervals", org.hamcrest.Matchers.hasSize(5))
                .body("subjects[0].intervals[0].start", equalTo("2026-11-23T08:00:00Z"))
                .body("subjects[0].intervals[4].end", equalTo("2026-11-27T18:00:00Z"))
                .body("subjects[0].grants[0].grantId", equalTo(grant.toString()));
        String csv = f.admin().accept("text/csv").queryParam("from", "2026-11-23T00:00:00Z").queryParam("to", "2026-11-30T00:00:00Z")
                .get("/review/doors/" + f.door + "/access").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .extract().asString();
        List<String> rows = csv.lines().toList();
        assertEquals(6, rows.size(), csv);
        assertEquals("\"kim\",2026-11-23T08:00:00Z,2026-11-23T18:00:00Z," + grant + ",false,false", rows.get(1));

        f.admin().queryParam("at", "2026-11-28T10:00:00Z").get("/review/subjects/kim/doors").then().statusCode(200)
                .body("doors[0].doorId", equalTo(f.door.toString()))
                .body("doors[0].openNow", equalTo(false))
                .body("doors[0].nextOpening", equalTo("2026-11-30T08:00:00Z"));

        f.admin().queryParam("from", "2026-11-23T00:00:00Z").queryParam("to", "2027-02-01T00:00:00Z")
                .get("/review/doors/" + f.door + "/access").then().statusCode(400).contentType("application/problem+json");
        PolicyFixtures other = new PolicyFixtures();
        other.admin().get("/review/doors/" + f.door + "/access").then().statusCode(404);
    }

    @Test
    void checkRoleAnswersOnlyForTheDoorsPropertyAndTheOrganization() {
        PolicyFixtures f = new PolicyFixtures();
        UUID elsewhere = UUID.fromString(f.admin().body(Map.of("name", "Elsewhere", "timeZone", "UTC"))
                .post("/properties").then().statusCode(201).extract().path("id"));
        UUID otherDoor = UUID.randomUUID();
        f.admin().body(Map.of("propertyId", elsewhere.toString(), "name", "Back gate")).put("/doors/" + otherDoor).then().statusCode(200);
        f.admin().body(Map.of("subjectId", "pam", "role", "property_manager", "propertyId", f.property.toString()))
                .post("/role-assignments").then().statusCode(201);
        f.admin().body(Map.of("subjectId", "olga", "role", "property_manager")).post("/role-assignments").then().statusCode(201);

        assertTrue(holds(f.org, "pam", f.door, "property_manager"), "in the door's property");
        assertFalse(holds(f.org, "pam", otherDoor, "property_manager"), "not in another property");
        assertTrue(holds(f.org, "olga", otherDoor, "property_manager"), "organization-wide");
        assertFalse(holds(f.org, "pam", f.door, "operator"), "only the role asked for");
        assertFalse(holds(f.org, "nobody", f.door, "property_manager"));
        PolicyFixtures other = new PolicyFixtures();
        assertFalse(holds(other.org, "olga", f.door, "property_manager"), "never across organizations");
        assertFalse(holds(f.org, "olga", other.door, "property_manager"), "never for another organization's door");
    }

    private boolean holds(UUID org, String subject, UUID door, String role) {
        return policy.checkRole(dev.portcullis.proto.policy.v1.CheckRoleRequest.newBuilder().setOrganizationId(org.toString())
                .setSubjectId(subject).setDoorId(door.toString()).setRole(role).build()).await().atMost(java.time.Duration.ofSeconds(10))
                .getHolds();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "policy-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    /** Prometheus scrapes this (the ServiceMonitor in k8s/); never routed by the Ingress. */
    @Test
    void prometheusMetricsAreServed() {
        io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
