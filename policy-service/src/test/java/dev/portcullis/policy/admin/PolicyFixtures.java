package dev.portcullis.policy.admin;

import static io.restassured.RestAssured.given;

import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
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

/** One organization built through the admin API: a property (UTC), a door, and helpers to ask Authorize. */
final class PolicyFixtures {

    private static KafkaProducer<String, byte[]> producer;

    final UUID org = UUID.randomUUID();
    final String operator = "ops-" + org;
    final UUID property;
    final UUID door = UUID.randomUUID();

    PolicyFixtures() {
        property = UUID.fromString(admin().body(Map.of("name", "Harbor Lofts", "timeZone", "UTC"))
                .post("/properties").then().statusCode(201).extract().path("id"));
        admin().body(Map.of("propertyId", property.toString(), "name", "Front entrance"))
                .put("/doors/" + door).then().statusCode(200);
    }

    static String token(String subject, UUID org, String... roles) {
        return TestIssuer.shared().token(subject, org.toString(), roles).sign();
    }

    RequestSpecification admin() {
        return as(token(operator, org, "operator"));
    }

    RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).basePath("/admin/v1/organizations/" + org);
    }

    UUID grant(Map<String, Object> body) {
        return UUID.fromString(admin().body(body).post("/grants").then().statusCode(201).extract().path("id"));
    }

    UUID grantTo(String subject) {
        return grant(Map.of("granteeKind", "subject", "granteeValue", subject, "doorId", door.toString(), "schedule", "always"));
    }

    static AuthorizeResponse authorize(PolicyService policy, UUID org, String subject, UUID door) {
        return policy.authorize(AuthorizeRequest.newBuilder().setOrganizationId(org.toString()).setSubjectId(subject)
                .setDoorId(door.toString()).setAction(LockAction.LOCK_ACTION_UNLOCK).build()).await().atMost(Duration.ofSeconds(10));
    }

    /** Publishes an event as another service (or replica) would, and waits until the broker has it. */
    static void publish(String topic, String key, EventEnvelope envelope) {
        try {
            producer().send(new ProducerRecord<>(topic, key, envelope.toByteArray())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    static EventEnvelope event(UUID org, Consumer<EventEnvelope.Builder> payload) {
        Instant now = Instant.now();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOrganizationId(org.toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setSource("test").setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_SERVICE).setId("test"));
        payload.accept(envelope);
        return envelope.build();
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(config);
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close));
        }
        return producer;
    }
}
