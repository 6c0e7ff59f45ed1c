package dev.portcullis.policy.admin;

import static dev.portcullis.policy.admin.PolicyFixtures.authorize;
import static dev.portcullis.policy.admin.PolicyFixtures.token;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST review/what-if}: a draft change compared with the policy in force, over real PostgreSQL, Kafka and HTTP. */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class WhatIfReviewTest {

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @BeforeEach
    void now() {
        clock.set(Instant.now());
    }

    @Test
    void aRevokedGrantWouldTurnPermitIntoDenyAndNothingIsWrittenOrPublished() {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grantTo("alice");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "alice", f.door).getDecision());
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of("portcullis.policy.v1"));
            // Every change so far has been published: later events of this organization would come from the what-if.
            long version = version(f.org);
            awaitEvents(consumer, f.org, version, Duration.ofSeconds(20));
            long changes = count("SELECT count(*) AS n FROM policy_change WHERE organization_id = $1", f.org);
            long outbox = count("SELECT coalesce(max(id), 0) AS n FROM outbox_event WHERE $1::uuid IS NOT NULL", f.org);

            String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            f.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)), "subject", "alice", "door", f.door.toString(), "at", at))
                    .post("/review/what-if").then().statusCode(200)
                    .body("policyVersion", equalTo((int) version))
                    .body("noChange", equalTo(false))
                    .body("changes", hasSize(1))
                    .body("changes[0].effect", equalTo("lost"))
                    .body("changes[0].subjectId", equalTo("alice"))
                    .body("changes[0].doorId", equalTo(f.door.toString()))
                    .body("changes[0].at", equalTo(at))
                    .body("changes[0].before.permit", equalTo(true))
                    .body("changes[0].before.reasons", contains("REASON_GRANT_MATCHED"))
                    .body("changes[0].before.grantId", equalTo(grant.toString()))
                    .body("changes[0].after.permit", equalTo(false))
                    .body("changes[0].after.reasons", contains("REASON_NO_GRANT"));

            // Over a period, for the door: the access the subject would lose.
            f.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)), "door", f.door.toString(),
                            "from", "2026-11-23T00:00:00Z", "to", "2026-11-30T00:00:00Z"))
                    .post("/review/what-if").then().statusCode(200)
                    .body("changes.subjectId", contains("alice"))
                    .body("changes[0].accessBefore", hasSize(1))
                    .body("changes[0].accessBefore[0].start", equalTo("2026-11-23T00:00:00Z"))
                    .body("changes[0].accessAfter", empty())
                    .body("changes[0].at", equalTo("2026-11-23T00:00:00Z"));

            // Nothing changed: the grant is there, the decision still permits, no version, history row, outbox row or event.
            f.admin().get("/grants/" + grant).then().statusCode(200);
            assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "alice", f.door).getDecision());
            assertEquals(version, version(f.org));
            assertEquals(changes, count("SELECT count(*) AS n FROM policy_change WHERE organization_id = $1", f.org));
            assertEquals(outbox, count("SELECT coalesce(max(id), 0) AS n FROM outbox_event WHERE $1::uuid IS NOT NULL", f.org));
            assertEquals(List.of(), newerEvents(consumer, f.org, version, Duration.ofSeconds(3)));

            // The consumer does see a real change of the organization (the check above could fail).
            f.admin().delete("/grants/" + grant).then().statusCode(204);
            awaitEvents(consumer, f.org, version + 1, Duration.ofSeconds(20));
        }
    }

    @Test
    void addedGrantsLockdownsAndTierMovesAreCompared() {
        PolicyFixtures f = new PolicyFixtures();
        f.grantTo("bob");
        UUID tier = UUID.fromString(f.admin().body(Map.of("name", "Sensitive", "requiredAcr", "aal2", "maxAuthAgeSeconds", 900))
                .post("/tiers").then().statusCode(201).extract().path("id"));
        String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

        f.admin().body(Map.of("change", Map.of("addGrants", List.of(Map.of("granteeKind", "subject", "granteeValue", "cleo",
                        "doorId", f.door.toString(), "schedule", "always"))), "subject", "cleo", "at", at))
                .post("/review/what-if").then().statusCode(200)
                .body("changes.effect", contains("gained"))
                .body("changes[0].before.reasons", contains("REASON_NO_GRANT"))
                .body("changes[0].after.permit", equalTo(true));

        f.admin().body(Map.of("change", Map.of("lockdowns", List.of(Map.of("propertyId", f.property.toString(), "lockdown", true,
                        "reason", "drill"))), "door", f.door.toString(), "at", at))
                .post("/review/what-if").then().statusCode(200)
                .body("changes.subjectId", contains("bob"))
                .body("changes[0].effect", equalTo("lost"))
                .body("changes[0].after.reasons", contains("REASON_LOCKDOWN"));

        f.admin().body(Map.of("change", Map.of("doorTiers", List.of(Map.of("doorId", f.door.toString(), "tierId", tier.toString()))),
                        "door", f.door.toString(), "at", at))
                .post("/review/what-if").then().statusCode(200)
                .body("changes[0].effect", equalTo("changed"))
                .body("changes[0].conditionsAfter.tier", equalTo("Sensitive"))
                .body("changes[0].after.reasons", contains("REASON_GRANT_MATCHED", "REASON_STEP_UP_REQUIRED"));

        // A draft that changes nothing for the subject asked about.
        f.admin().body(Map.of("change", Map.of("addGrants", List.of(Map.of("granteeKind", "subject", "granteeValue", "cleo",
                        "doorId", f.door.toString()))), "subject", "bob", "at", at))
                .post("/review/what-if").then().statusCode(200).body("noChange", equalTo(true)).body("changes", empty());
    }

    @Test
    void badDraftsAreProblemsAndAnotherOrganizationSeesNothing() {
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grantTo("dora");
        String door = f.door.toString();
        f.admin().body(Map.of("change", Map.of(), "door", door)).post("/review/what-if")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("change must"));
        f.admin().body(Map.of("door", door)).post("/review/what-if").then().statusCode(400).body("detail", containsString("change"));
        f.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)))).post("/review/what-if")
                .then().statusCode(400).body("detail", containsString("subject or door"));
        f.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)), "door", door, "at", "2026-11-26T10:00:00Z",
                "from", "2026-11-26T09:00:00Z")).post("/review/what-if").then().statusCode(400);
        f.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)), "door", door, "at", "tomorrow"))
                .post("/review/what-if").then().statusCode(400).contentType("application/problem+json");
        f.admin().body(Map.of("change", Map.of("addGrants", List.of(Map.of("granteeKind", "subject", "granteeValue", "x", "doorId", door,
                "schedule", "MON 25:00-26:00"))), "door", door)).post("/review/what-if").then().statusCode(400);
        f.admin().body(Map.of("change", Map.of("removeGrants", List.of(UUID.randomUUID())), "door", door)).post("/review/what-if")
                .then().statusCode(422).contentType("application/problem+json");
        f.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)), "door", UUID.randomUUID().toString()))
                .post("/review/what-if").then().statusCode(404);

        // Another organization's operator: not under its path, and not by naming its objects from their own.
        PolicyFixtures other = new PolicyFixtures();
        Map<String, Object> body = Map.of("change", Map.of("removeGrants", List.of(grant)), "door", door);
        other.as(token(other.operator, other.org, "operator")).basePath("/admin/v1/organizations/" + f.org).body(body)
                .post("/review/what-if").then().statusCode(404).contentType("application/problem+json");
        other.admin().body(Map.of("change", Map.of("removeGrants", List.of(grant)), "door", other.door.toString()))
                .post("/review/what-if").then().statusCode(422);
        other.admin().body(body).post("/review/what-if").then().statusCode(404).body("detail", containsString("door"));
        // Only operators and owners.
        f.as(token("tenant-" + f.org, f.org, "tenant")).body(body).post("/review/what-if").then().statusCode(403);
        f.admin().get("/grants/" + grant).then().statusCode(200);
    }

    private long version(UUID org) {
        return count("SELECT version AS n FROM policy_version WHERE organization_id = $1", org);
    }

    private long count(String sql, UUID org) {
        return pool.preparedQuery(sql).execute(Tuple.of(org)).await().indefinitely().iterator().next().getLong("n");
    }

    private static void awaitEvents(KafkaConsumer<String, byte[]> consumer, UUID org, long version, Duration within) {
        await().atMost(within).until(() -> newerEvents(consumer, org, version - 1, Duration.ofMillis(200)).stream()
                .anyMatch(v -> v >= version));
    }

    /** The policy versions of this organization's PolicyChanged events newer than {@code version} heard during {@code during}. */
    private static List<Long> newerEvents(KafkaConsumer<String, byte[]> consumer, UUID org, long version, Duration during) {
        List<Long> seen = new ArrayList<>();
        long end = System.nanoTime() + during.toNanos();
        do {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                EventEnvelope envelope;
                try {
                    envelope = EventEnvelope.parseFrom(record.value());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException("not an event envelope on portcullis.policy.v1", e);
                }
                if (envelope.getOrganizationId().equals(org.toString()) && envelope.hasPolicyChanged()
                        && envelope.getPolicyChanged().getPolicyVersion() > version) {
                    seen.add(envelope.getPolicyChanged().getPolicyVersion());
                }
            }
        } while (System.nanoTime() < end);
        return seen;
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
}
