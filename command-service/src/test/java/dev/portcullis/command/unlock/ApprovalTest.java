package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The two-person rule: a second, eligible person with a fresh second factor approves; at most one command. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class ApprovalTest {

    private static final String ORG = UUID.randomUUID().toString();
    private static final String TENANT = UUID.randomUUID().toString();
    private static final String MANAGER = UUID.randomUUID().toString();
    private static final String OTHER_MANAGER = UUID.randomUUID().toString();
    private static final String CLEANER = UUID.randomUUID().toString();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    ActionAttempts attempts;

    private final List<TestLock> locks = new ArrayList<>();
    private String door;

    @BeforeEach
    void aDoorThatNeedsTwoPeople() {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT_WITH_SECOND_APPROVER);
        door = UUID.randomUUID().toString();
        TestLock lock = new TestLock();
        PeerServices.enroll(ORG, door, lock);
        lock.connect(port);
        locks.add(lock);
        PeerServices.ROLES.add(MANAGER + "/" + door + "/property_manager");
        PeerServices.ROLES.add(OTHER_MANAGER + "/" + door + "/property_manager");
        PeerServices.ROLES.add(TENANT + "/" + door + "/property_manager");
    }

    @AfterEach
    void disconnect() {
        locks.forEach(TestLock::close);
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
    }

    private static String token(String subject) {
        return TestIssuer.shared().token(subject, ORG, "tenant").sign();
    }

    /** The test issuer's tokens carry acr aal2 and an auth_time of their issue: a fresh second factor. */
    private static String freshToken(String subject) {
        return token(subject);
    }

    private String requestUnlock() {
        return given().auth().oauth2(token(TENANT)).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door)
                .then().statusCode(202).body("status", equalTo("pending_approval")).extract().path("id");
    }

    private static Response approve(String attemptId, String token) {
        return given().auth().oauth2(token).when().post("/v1/action-attempts/{id}/approve", attemptId);
    }

    @Test
    void aSecondEligiblePersonApprovesAndTheLockOpensOnce() {
        String attemptId = requestUnlock();
        given().auth().oauth2(token(MANAGER)).when().get("/v1/approvals")
                .then().statusCode(200).body("id", hasItem(attemptId));
        given().auth().oauth2(token(TENANT)).when().get("/v1/approvals")
                .then().statusCode(200).body("id", not(hasItem(attemptId)));
        int decisionsBefore = PeerServices.AUTHORIZE_CALLS.get();

        approve(attemptId, freshToken(MANAGER)).then().statusCode(200).body("status", equalTo("succeeded"));

        assertEquals(decisionsBefore + 1, PeerServices.AUTHORIZE_CALLS.get(), "policy decided the unlock afresh");
        assertEquals(TENANT, PeerServices.LAST_AUTHORIZE.get().getSubjectId(), "for the requester, not the approver");
        assertEquals(1, locks.get(0).actuations());
        approve(attemptId, freshToken(OTHER_MANAGER)).then().statusCode(409);
        assertEquals(1, locks.get(0).actuations());
    }

    @Test
    void theRequesterCannotApproveTheirOwnUnlock() {
        String attemptId = requestUnlock();
        approve(attemptId, freshToken(TENANT)).then().statusCode(403);
        assertEquals(0, locks.get(0).actuations());
    }

    @Test
    void anApproverWithoutAFreshSecondFactorIsChallenged() {
        String attemptId = requestUnlock();
        String passwordOnly = TestIssuer.shared().token(MANAGER, ORG, "tenant").claim("acr", "aal1").sign();
        approve(attemptId, passwordOnly).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"insufficient_user_authentication\""))
                .header("WWW-Authenticate", containsString("acr_values=\"aal2\""))
                .header("WWW-Authenticate", containsString("max_age=\"300\""));
        String anHourOld = TestIssuer.shared().token(MANAGER, ORG, "tenant").issuedAgo(Duration.ofHours(1), Duration.ofHours(2)).sign();
        approve(attemptId, anHourOld).then().statusCode(401);
        assertEquals(0, locks.get(0).actuations());
        approve(attemptId, freshToken(MANAGER)).then().statusCode(200);
    }

    @Test
    void someoneWithoutTheEligibleRoleCannotApprove() {
        String attemptId = requestUnlock();
        approve(attemptId, freshToken(CLEANER)).then().statusCode(403);
        assertEquals(0, locks.get(0).actuations());
    }

    @Test
    void anotherOrganizationDoesNotSeeTheAttempt() {
        String attemptId = requestUnlock();
        String outsider = TestIssuer.shared().token(MANAGER, UUID.randomUUID().toString(), "tenant").sign();
        approve(attemptId, outsider).then().statusCode(404);
    }

    @Test
    void anExpiredApprovalIsRefusedAndNothingIsSent() throws Throwable {
        String attemptId = requestUnlock();
        OffsetDateTime deadline = OffsetDateTime.parse(given().auth().oauth2(token(TENANT)).when()
                .get("/v1/action-attempts/{id}", attemptId).then().extract().<String>path("approval.expiresAt"));
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> attempts.expireUnapproved(UUID.fromString(attemptId), deadline));

        approve(attemptId, freshToken(MANAGER)).then().statusCode(409);
        assertEquals(0, locks.get(0).actuations());
    }

    @Test
    void twoApproversAtOnceGiveExactlyOneCommand() throws Exception {
        String attemptId = requestUnlock();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Response> first = pool.submit(() -> approve(attemptId, freshToken(MANAGER)));
            Future<Response> second = pool.submit(() -> approve(attemptId, freshToken(OTHER_MANAGER)));
            List<Integer> statuses = new ArrayList<>(List.of(first.get().statusCode(), second.get().statusCode()));
            statuses.sort(null);
            assertEquals(List.of(200, 409), statuses);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, locks.get(0).actuations());
        assertEquals(1, locks.get(0).received().size());
    }

    @Test
    void aPartnerCannotApprove() {
        String attemptId = requestUnlock();
        String partner = TestIssuer.shared().partner("partner-x", "unlock", ORG).sign();
        approve(attemptId, partner).then().statusCode(403);
    }
}
