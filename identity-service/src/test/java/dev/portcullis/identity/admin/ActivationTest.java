package dev.portcullis.identity.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Invite → activate: the link is single use and expires; the password policy applies to the chosen password. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class ActivationTest {

    @Inject
    AdminFixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    record Invite(UUID accountId, String username, String token, String url) {
    }

    Invite invite(UUID org, String token) {
        String username = "invitee-" + UUID.randomUUID() + "@example.test";
        Response created = AdminApiTest.as(token).contentType("application/json")
                .body(Map.of("username", username, "displayName", "Ivy Invitee", "roles", List.of("tenant")))
                .post(AdminApiTest.accounts(org));
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals("no-store", created.header("Cache-Control"));
        assertEquals("invited", created.jsonPath().getString("account.status"));
        return new Invite(UUID.fromString(created.jsonPath().getString("account.id")), username,
                created.jsonPath().getString("invitation.token"), created.jsonPath().getString("invitation.activationUrl"));
    }

    static HttpResponse<String> submit(String token, String password) {
        return new Browser().source("192.0.2.210").post("/activate", Map.of("token", token, "password", password, "confirmation", password));
    }

    static int login(String username, String password) {
        return AdminFixtures.startFlow("192.0.2.211").password(username, password).statusCode();
    }

    @Test
    void anInvitationActivatesOnceWithAPasswordThatIsNeverTruncated() {
        Invite invite = invite(AdminApiTest.ORG, fixtures.accessToken(fixtures.person(AdminApiTest.ORG, List.of("operator"), false)));
        assertTrue(invite.url().startsWith(IdentityTestProfile.ISSUER + "/activate?token="));
        // Only the hash is stored.
        assertNull(fixtures.row("select 1 from account_invitation where token_hash = ?", invite.token()));
        assertEquals(1, fixtures.row("select count(*) as n from account_invitation where token_hash = ?",
                Tokens.storageKey(invite.token())).get("n") instanceof Long n ? n.intValue() : -1);
        // Invited but not activated: cannot sign in (answered like a wrong password).
        assertEquals(401, login(invite.username(), "anything-at-all-here"));

        HttpResponse<String> page = new Browser().get(URI.create(invite.url()));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("autocomplete=\"new-password\""));
        assertTrue(page.body().contains("minlength=\"15\""), "the password will be the only factor here");
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));

        HttpResponse<String> tooShort = submit(invite.token(), "tqx7-mzb-kw2");
        assertEquals(422, tooShort.statusCode());
        assertTrue(tooShort.body().contains("at least 15 characters"), tooShort.body());
        HttpResponse<String> common = submit(invite.token(), "iloveyou12345678");
        assertEquals(422, common.statusCode());
        assertTrue(common.body().contains("too common"), common.body());
        HttpResponse<String> mismatch = new Browser().post("/activate",
                Map.of("token", invite.token(), "password", "plum tractor velvet oyster", "confirmation", "plum tractor velvet oystex"));
        assertEquals(422, mismatch.statusCode());

        String password = "a".repeat(33) + "plum-tractor-velvet-oyster-" + "z".repeat(39) + "Q";
        assertEquals(100, password.length());
        HttpResponse<String> done = submit(invite.token(), password);
        assertEquals(303, done.statusCode(), done.body());
        assertEquals(IdentityTestProfile.ISSUER + "/activate/done", done.headers().firstValue("Location").orElseThrow());
        assertEquals(200, new Browser().get(URI.create(IdentityTestProfile.ISSUER + "/activate/done")).statusCode());

        // Single use: the link is dead now, for viewing and for submitting.
        assertEquals(400, new Browser().get(URI.create(invite.url())).statusCode());
        assertEquals(400, submit(invite.token(), "another fine passphrase here").statusCode());

        // 64+ characters accepted whole: the same 99 characters with another last one are wrong.
        assertEquals(401, login(invite.username(), password.substring(0, 99) + "R"));
        assertEquals(401, login(invite.username(), password.substring(0, 64)));
        assertEquals(302, login(invite.username(), password));
        assertTrue(fixtures.outboxTypes(invite.accountId().toString()).containsAll(List.of("account_invited", "account_activated")));
    }

    @Test
    void anInvitationExpires() {
        Invite invite = invite(AdminApiTest.ORG, fixtures.accessToken(fixtures.person(AdminApiTest.ORG, List.of("operator"), false)));
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertEquals(400, new Browser().get(URI.create(invite.url())).statusCode());
        HttpResponse<String> late = submit(invite.token(), "plum tractor velvet oyster");
        assertEquals(400, late.statusCode());
        assertTrue(late.body().contains("invalid, has expired or was already used"));
        assertEquals(401, login(invite.username(), "plum tractor velvet oyster"));
    }

    @Test
    void unknownTokensAreRefused() {
        assertEquals(400, new Browser().get(URI.create(IdentityTestProfile.ISSUER + "/activate?token="
                + URLEncoder.encode(Tokens.random256(), StandardCharsets.UTF_8))).statusCode());
        assertEquals(400, new Browser().get(URI.create(IdentityTestProfile.ISSUER + "/activate")).statusCode());
        assertEquals(400, submit("x".repeat(65), "plum tractor velvet oyster").statusCode());
        assertEquals(400, submit("", "plum tractor velvet oyster").statusCode());
    }

    @Test
    void whenTheOrganizationRequiresMfaEightCharactersSuffice() {
        UUID org = fixtures.organization("MFA Org " + UUID.randomUUID());
        String token = fixtures.accessToken(fixtures.person(org, List.of("operator"), false));
        Invite before = invite(org, token);
        assertEquals(422, submit(before.token(), "tqx7-mzb-kw2").statusCode(), "12 characters as the only factor");

        AdminApiTest.as(token).contentType("application/json").body(Map.of("requireMfa", true))
                .patch("/admin/v1/organizations/" + org).then().statusCode(200);
        Invite invite = invite(org, token);
        HttpResponse<String> page = new Browser().get(URI.create(invite.url()));
        assertTrue(page.body().contains("minlength=\"8\""));
        HttpResponse<String> done = submit(invite.token(), "tqx7-mzb-kw2");
        assertEquals(303, done.statusCode(), done.body());
        assertEquals(IdentityTestProfile.ISSUER + "/activate/done?mfa=required", done.headers().firstValue("Location").orElseThrow());
        assertFalse(new Browser().get(URI.create(IdentityTestProfile.ISSUER + "/activate/done?mfa=required")).body().isEmpty());
    }
}
