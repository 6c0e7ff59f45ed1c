package dev.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Credentials over the real mesh: the operator issues through device-registry, command-service seals the
 * change for the one lock, the simulated lock signs for it, and people type codes at the simulator's keypad.
 */
class CredentialFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;
    private static String operatorToken;

    @BeforeAll
    static void bringUpTheMesh() throws IOException {
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("portcullis-e2e-credentials-");
        layout = new MeshLayout(root, state, 29180, "e2ec_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        demo = DemoPortfolio.generate(new SecureRandom());
        mesh = Mesh.up(layout, demo, Postgres.server(), null);
        operatorToken = new OidcLogin(layout.issuer())
                .login(demo.operator().username(), demo.operator().password(), demo.operator().totpSecret())
                .getAccessToken().getValue();
    }

    @AfterAll
    static void takeItDown() {
        if (mesh != null) {
            mesh.stop();
        }
    }

    @Test
    void aTemporaryPinWorksInsideItsWindowAndNotOutsideIt() throws Exception {
        DemoPortfolio.Door front = demo.door("Front entrance");
        Instant now = Instant.now();
        ObjectNode temporary = JSON.createObjectNode().put("type", "PIN").put("usage", "temporary").put("pin", "402719")
                .put("validFrom", now.minusSeconds(60).toString()).put("validUntil", now.plusSeconds(20).toString());
        String guest = issue(front, temporary).get("id").asText();
        ObjectNode later = JSON.createObjectNode().put("type", "PIN").put("usage", "temporary").put("pin", "550012")
                .put("validFrom", now.plusSeconds(3600).toString()).put("validUntil", now.plusSeconds(7200).toString());
        String notYet = issue(front, later).get("id").asText();
        // a weekly window on a day that is not today where the property is
        DayOfWeek otherDay = ZonedDateTime.now(ZoneId.of(demo.timeZone())).getDayOfWeek().plus(3);
        ObjectNode scheduled = JSON.createObjectNode().put("type", "PIN").put("usage", "scheduled").put("pin", "660013");
        scheduled.putArray("windows").addObject().put("day", otherDay.name()).put("start", "00:00").put("end", "24:00");
        String otherDays = issue(front, scheduled).get("id").asText();
        for (String id : new String[] {guest, notYet, otherDays}) {
            awaitState(id, "active");
        }

        assertTrue(keypad(front, "402719"), "inside its validity");
        assertFalse(keypad(front, "550012"), "before its validity");
        assertFalse(keypad(front, "660013"), "outside its weekly window");
        Duration untilEnd = Duration.between(Instant.now(), now.plusSeconds(21));
        if (!untilEnd.isNegative()) {
            Thread.sleep(untilEnd.toMillis());
        }
        assertFalse(keypad(front, "402719"), "after its validity, with no network round trip needed");
    }

    @Test
    void aDuressPinOpensLikeAnyOtherAndRaisesASilentAlert() throws Exception {
        DemoPortfolio.Door front = demo.door("Front entrance");
        ObjectNode duress = JSON.createObjectNode().put("type", "PIN").put("usage", "permanent").put("pin", "913579")
                .put("duress", true).put("holderSubjectId", demo.tenant().id());
        String id = issue(front, duress).get("id").asText();
        awaitState(id, "active");
        HttpResponse<String> typed = post(layout.simulatorUrl() + "/v1/locks/" + front.lockId() + "/keypad",
                JSON.createObjectNode().put("pin", "913579").toString(), null);
        assertEquals(200, typed.statusCode(), typed.body());
        assertEquals("{\"opened\":true}", typed.body().replace(" ", ""), "nothing at the door tells the duress PIN apart");
        await("duress alert in audit", () -> {
            JsonNode alerts = json(get(layout.auditUrl() + "/v1/alerts?kind=duress", operatorToken));
            for (JsonNode alert : alerts) {
                if (front.lockId().equals(alert.path("lockId").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void aRevocationIsPendingWhileTheLockIsOfflineAndConfirmedWhenItReturns() throws Exception {
        DemoPortfolio.Door rooftop = demo.doors().get(demo.doors().size() - 1);
        String id = issue(rooftop, JSON.createObjectNode().put("type", "PIN").put("usage", "permanent").put("pin", "731946")
                .put("holderSubjectId", demo.tenant().id())).get("id").asText();
        awaitState(id, "active");
        assertEquals(204, get(layout.simulatorUrl() + "/v1/locks/" + rooftop.lockId() + "/credentials/" + id, null).statusCode());

        connection(rooftop, false);
        HttpResponse<String> revoked = post(registry("/credentials/" + id + "/revoke"), "{\"reason\":\"lease ended\"}", operatorToken);
        assertEquals(200, revoked.statusCode(), revoked.body());
        await("the failed delivery recorded", () -> !json(get(registry("/credentials/" + id), operatorToken)).path("lastSyncError").isNull());
        assertEquals("revoke_pending", json(get(registry("/credentials/" + id), operatorToken)).get("state").asText());
        assertTrue(keypad(rooftop, "731946"), "the offline lock still opens for it: exactly what revoke_pending warns about");
        JsonNode pending = json(get(registry("/credentials?state=revoke_pending"), operatorToken));
        assertTrue(pending.toString().contains(id), pending.toString());

        connection(rooftop, true);
        awaitState(id, "revoked");
        assertEquals(404, get(layout.simulatorUrl() + "/v1/locks/" + rooftop.lockId() + "/credentials/" + id, null).statusCode());
        assertFalse(keypad(rooftop, "731946"));
    }

    @Test
    void anOfflineCodeOpensALockThatHasNoConnectionWithinItsWindowOnly() throws Exception {
        DemoPortfolio.Door rooftop = demo.doors().get(demo.doors().size() - 1);
        HttpResponse<String> secret = post(registry("/locks/" + rooftop.lockId() + "/offline-code-secret"), "{}", operatorToken);
        assertEquals(201, secret.statusCode(), secret.body());
        awaitState(json(secret).get("id").asText(), "active");

        connection(rooftop, false);
        try {
            HttpResponse<String> now = post(registry("/locks/" + rooftop.lockId() + "/offline-codes"), "{\"durationHours\":1,\"label\":\"plumber\"}",
                    operatorToken);
            assertEquals(201, now.statusCode(), now.body());
            Instant nextHour = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusSeconds(3600);
            HttpResponse<String> later = post(registry("/locks/" + rooftop.lockId() + "/offline-codes"),
                    "{\"durationHours\":1,\"start\":\"" + nextHour + "\"}", operatorToken);
            assertEquals(201, later.statusCode(), later.body());
            assertTrue(keypad(rooftop, json(now).get("code").asText()), "opens with no connection at all");
            assertFalse(keypad(rooftop, json(later).get("code").asText()), "not before its window");
        } finally {
            connection(rooftop, true);
        }
    }

    @Test
    void aCodeProgrammedAtTheLockBehindThePlatformsBackIsFlaggedAndRemoved() throws Exception {
        DemoPortfolio.Door front = demo.door("Front entrance");
        HttpResponse<String> programmed = post(layout.simulatorUrl() + "/v1/locks/" + front.lockId() + "/local-credentials",
                "{\"pin\":\"246813\"}", null);
        assertEquals(201, programmed.statusCode(), programmed.body());
        String local = json(programmed).get("credentialId").asText();
        await("removed by the platform", () -> get(layout.simulatorUrl() + "/v1/locks/" + front.lockId() + "/credentials/" + local, null)
                .statusCode() == 404);
        assertFalse(keypad(front, "246813"));
    }

    private static JsonNode issue(DemoPortfolio.Door door, ObjectNode body) throws Exception {
        HttpResponse<String> response = post(registry("/doors/" + door.id() + "/credentials"), body.toString(), operatorToken);
        assertEquals(201, response.statusCode(), response.body());
        return json(response);
    }

    private static void awaitState(String credential, String state) throws Exception {
        await("credential " + credential + " " + state,
                () -> state.equals(json(get(registry("/credentials/" + credential), operatorToken)).path("state").asText()));
    }

    private static boolean keypad(DemoPortfolio.Door door, String pin) throws Exception {
        HttpResponse<String> response = post(layout.simulatorUrl() + "/v1/locks/" + door.lockId() + "/keypad",
                JSON.createObjectNode().put("pin", pin).toString(), null);
        assertEquals(200, response.statusCode(), response.body());
        return json(response).get("opened").asBoolean();
    }

    private static void connection(DemoPortfolio.Door door, boolean online) throws Exception {
        HttpResponse<String> response = post(layout.simulatorUrl() + "/v1/locks/" + door.lockId() + "/connection",
                JSON.createObjectNode().put("online", online).toString(), null);
        assertEquals(200, response.statusCode(), response.body());
    }

    private static String registry(String path) {
        return layout.registryUrl() + "/admin/v1/organizations/" + demo.organizationId() + path;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return MeshHttp.get(url, token);
    }

    private static HttpResponse<String> post(String url, String body, String token) throws Exception {
        return MeshHttp.post(url, body, token);
    }

}
