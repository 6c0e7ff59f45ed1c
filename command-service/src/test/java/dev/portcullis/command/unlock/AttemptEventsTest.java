package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.command.support.AttemptFeed;
import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/action-attempts/{id}/events}: the attempt's states as server-sent events, to whoever may see it. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class AttemptEventsTest {

    private static final String ORG = UUID.randomUUID().toString();
    private static final String TENANT = UUID.randomUUID().toString();
    private static final String MANAGER = UUID.randomUUID().toString();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AttemptChangeFeed feed;

    private final List<TestLock> locks = new ArrayList<>();
    private String door;

    @BeforeEach
    void aConnectedDoor() {
        door = UUID.randomUUID().toString();
        TestLock lock = new TestLock();
        PeerServices.enroll(ORG, door, lock);
        lock.connect(port);
        locks.add(lock);
        PeerServices.ROLES.add(MANAGER + "/" + door + "/property_manager");
    }

    @AfterEach
    void disconnect() {
        locks.forEach(TestLock::close);
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
    }

    private static String token(String subject, String... roles) {
        return TestIssuer.shared().token(subject, ORG, roles.length == 0 ? new String[] {"tenant"} : roles).sign();
    }

    /** Reads the stream's {@code data:} lines (one JSON attempt each) until the server ends it. */
    private final class EventStream {
        final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> ended;
        volatile java.util.stream.Stream<String> lines;

        EventStream(String attemptId, String token) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/action-attempts/" + attemptId + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            ended = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApplyAsync(response -> {
                lines = response.body();
                lines.filter(line -> line.startsWith("data:"))
                        .forEach(line -> events.add(new JsonObject(line.substring("data:".length()).trim())));
                return response.statusCode();
            });
        }

        String next() throws InterruptedException {
            JsonObject event = events.poll(30, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event within 30 s");
            }
            return event.getString("status");
        }
    }

    @Test
    void theStreamShowsEachStateAndEndsWhenTheAttemptIsFinal() throws Exception {
        AttemptFeed.awaitAssigned();
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT_WITH_SECOND_APPROVER);
        String attemptId = given().auth().oauth2(token(TENANT)).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door)
                .then().statusCode(202).extract().path("id");

        EventStream stream = new EventStream(attemptId, token(TENANT));
        assertEquals("pending_approval", stream.next(), "the current state first");
        given().auth().oauth2(token(MANAGER)).when().post("/v1/action-attempts/{id}/approve", attemptId)
                .then().statusCode(200).body("status", equalTo("succeeded"));

        assertEquals("authorized", stream.next());
        assertEquals("dispatched", stream.next());
        assertEquals("succeeded", stream.next());
        assertEquals(200, stream.ended.get(10, TimeUnit.SECONDS), "the stream ends once the attempt is final");
        assertEquals(0, stream.events.size());
        assertEquals(1, locks.get(0).actuations());
    }

    @Test
    void aClientThatGoesAwayIsNoLongerWatched() throws Exception {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT_WITH_SECOND_APPROVER);
        String attemptId = given().auth().oauth2(token(TENANT)).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door)
                .then().statusCode(202).extract().path("id");
        int before = feed.watchers();
        EventStream stream = new EventStream(attemptId, token(TENANT));
        assertEquals("pending_approval", stream.next());
        assertEquals(before + 1, feed.watchers());
        stream.lines.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (feed.watchers() > before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(before, feed.watchers(), "the watcher is gone with its client");
    }

    @Test
    void aFinishedAttemptShowsItsStateAndEnds() throws Exception {
        String attemptId = given().auth().oauth2(token(TENANT)).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door)
                .then().statusCode(201).extract().path("id");
        EventStream stream = new EventStream(attemptId, token(TENANT));
        assertEquals(200, stream.ended.get(10, TimeUnit.SECONDS));
        assertEquals("succeeded", stream.next());
        assertEquals(0, stream.events.size());
        // An operator of the organization sees it too.
        EventStream operator = new EventStream(attemptId, token(UUID.randomUUID().toString(), "operator"));
        assertEquals(200, operator.ended.get(10, TimeUnit.SECONDS));
        assertEquals("succeeded", operator.next());
    }

    @Test
    void someoneElsesOrAnotherOrganizationsAttemptDoesNotExist() {
        String attemptId = given().auth().oauth2(token(TENANT)).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door)
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(token(UUID.randomUUID().toString())).accept("text/event-stream")
                .when().get("/v1/action-attempts/{id}/events", attemptId)
                .then().statusCode(404).contentType("application/problem+json");
        String otherOrganization = TestIssuer.shared().token(TENANT, UUID.randomUUID().toString(), "operator").sign();
        given().auth().oauth2(otherOrganization).accept("text/event-stream")
                .when().get("/v1/action-attempts/{id}/events", attemptId)
                .then().statusCode(404);
        given().accept("text/event-stream").when().get("/v1/action-attempts/{id}/events", attemptId).then().statusCode(401);
        given().auth().oauth2(token(TENANT)).accept("text/event-stream")
                .when().get("/v1/action-attempts/{id}/events", "nope").then().statusCode(400);
    }
}
