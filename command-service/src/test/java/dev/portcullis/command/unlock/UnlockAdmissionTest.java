package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The bound on unlocks in progress: past it a request is refused at once (503, Retry-After), and places come back. */
@QuarkusTest
@TestProfile(UnlockAdmissionTest.TwoInProgress.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class UnlockAdmissionTest {

    public static class TwoInProgress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.command.admission.max-in-progress", "2",
                    "portcullis.command.admission.retry-after", "2s");
        }
    }

    private static final String ORG = UUID.randomUUID().toString();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    UnlockAdmission admission;

    private static Response unlock(String door, String token) {
        return given().auth().oauth2(token).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door);
    }

    private static String person() {
        return TestIssuer.shared().token(UUID.randomUUID().toString(), ORG, "tenant").sign();
    }

    @Test
    void pastTheBoundAnUnlockIsRefusedAtOnceWithoutBeingRecordedAndPlacesComeBack() throws Exception {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
        String slowDoor = UUID.randomUUID().toString();
        String door = UUID.randomUUID().toString();
        try (TestLock slow = new TestLock().acknowledgingAfter(Duration.ofMillis(2_500)); TestLock lock = new TestLock()) {
            PeerServices.enroll(ORG, slowDoor, slow);
            slow.connect(port);
            PeerServices.enroll(ORG, door, lock);
            lock.connect(port);

            // Two unlocks wait for the slow lock's acknowledgement: both places are taken.
            ExecutorService clients = Executors.newFixedThreadPool(2);
            List<CompletableFuture<Response>> held = List.of(
                    CompletableFuture.supplyAsync(() -> unlock(slowDoor, person()), clients),
                    CompletableFuture.supplyAsync(() -> unlock(slowDoor, person()), clients));
            clients.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (slow.received().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, slow.received().size(), "both commands reached the slow lock");
            assertEquals(2, admission.inProgress(), "both unlocks are in progress, waiting for its acknowledgement");

            int asked = PeerServices.AUTHORIZE_CALLS.get();
            long sent = System.nanoTime();
            unlock(door, person()).then().statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://portcullis.dev/problems/overloaded"))
                    .header("Retry-After", "2");
            long refusedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(refusedMillis < 1_000, "refused at once, not after queueing: " + refusedMillis + " ms");
            assertEquals(asked, PeerServices.AUTHORIZE_CALLS.get(), "a refused unlock is not asked of policy");
            assertEquals(0, lock.actuations(), "nor sent to its lock");

            for (CompletableFuture<Response> unlock : held) {
                unlock.get(15, TimeUnit.SECONDS).then().statusCode(201).body("status", equalTo("succeeded"));
            }
            assertEquals(0, admission.inProgress(), "finished unlocks give their places back");
            unlock(door, person()).then().statusCode(201).body("status", equalTo("succeeded"));
            assertEquals(1, lock.actuations());
        }
    }
}
