package dev.portcullis.identity.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operator admin API: who may call it, and what its operations do to sign-in and stored data. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class AdminApiTest {

    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);

    @Inject
    AdminFixtures fixtures;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).header("X-Forwarded-For", "192.0.2.200");
    }

    static String accounts(UUID org) {
        return "/admin/v1/organizations/" + org + "/accounts";
    }

    String operatorToken(UUID org) {
        return fixtures.accessToken(fixtures.person(org, List.of("operator"), false));
    }

    static int login(AdminFixtures.Person person) {
        Browser browser = AdminFixtures.startFlow("192.0.2.201");
        return browser.password(person.username(), person.password()).statusCode();
    }

    @Test
    void theSeededDemoOperatorListsItsOrganizationsAccountsWithTheirLockoutState() {
        String token = fixtures.accessToken(IdentityTestProfile.OPERATOR_USERNAME, IdentityTestProfile.OPERATOR_PASSWORD,
                dev.portcullis.identity.mfa.TotpSecrets.decode(IdentityTestProfile.OPERATOR_TOTP));
        as(token).get(accounts(ORG)).then().statusCode(200)
                .contentType("application/json")
                .body("username", hasItem(IdentityTestProfile.TENANT_USERNAME))
                .body("find { it.username == '" + IdentityTestProfile.TENANT_USERNAME + "' }.lockout.locked", equalTo(false))
                .body("find { it.username == '" + IdentityTestProfile.TENANT_USERNAME + "' }.status", equalTo("active"));
    }

    @Test
    void anotherOrganizationsOperatorGetsNotFoundLikeForANonexistentOrganization() {
        UUID other = fixtures.organization("Other Org " + UUID.randomUUID());
        String otherToken = operatorToken(other);
        AdminFixtures.Person victim = fixtures.person(ORG, List.of("tenant"), false);

        Response crossOrg = as(otherToken).get(accounts(ORG));
        Response nowhere = as(otherToken).get(accounts(UUID.randomUUID()));
        assertEquals(404, crossOrg.statusCode());
        assertEquals("application/problem+json", crossOrg.contentType());
        assertEquals(crossOrg.jsonPath().getString("detail"), nowhere.jsonPath().getString("detail"));
        assertEquals(crossOrg.jsonPath().getString("type"), nowhere.jsonPath().getString("type"));
        as(otherToken).post(accounts(ORG) + "/" + victim.id() + "/disable").then().statusCode(404);
        as(otherToken).delete(accounts(ORG) + "/" + victim.id()).then().statusCode(404);
        // Even addressed through its own organization's path, another organization's account does not exist.
        as(otherToken).post(accounts(other) + "/" + victim.id() + "/disable").then().statusCode(404);
        assertEquals(302, login(victim), "the victim is untouched");
    }

    @Test
    void nonOperatorsAndBadTokensAreRefused() {
        String tenantToken = fixtures.accessToken(fixtures.person(ORG, List.of("tenant"), false));
        as(tenantToken).get(accounts(ORG)).then().statusCode(403).contentType("application/problem+json");
        given().get(accounts(ORG)).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        as("not-a-token").get(accounts(ORG)).then().statusCode(401).body("detail", not(nullValue()));
        // An operator whose account was disabled loses the API at once, even with an unexpired token.
        AdminFixtures.Person operator = fixtures.person(ORG, List.of("operator"), false);
        String token = fixtures.accessToken(operator);
        as(operatorToken(ORG)).post(accounts(ORG) + "/" + operator.id() + "/disable").then().statusCode(200);
        as(token).get(accounts(ORG)).then().statusCode(401);
    }

    @Test
    void disablingBlocksSignInAndEnablingRestoresIt() {
        String token = operatorToken(ORG);
        AdminFixtures.Person person = fixtures.person(ORG, List.of("tenant"), false);
        assertEquals(302, login(person));
        String issuedBefore = fixtures.accessToken(person);
        given().header("Authorization", "Bearer " + issuedBefore).get("/oauth2/userinfo").then().statusCode(200);
        as(token).post(accounts(ORG) + "/" + person.id() + "/disable").then().statusCode(200).body("status", equalTo("disabled"));
        assertEquals(401, login(person), "a disabled account is refused like a wrong password");
        as(token).post(accounts(ORG) + "/" + person.id() + "/enable").then().statusCode(200).body("status", equalTo("active"));
        assertEquals(302, login(person));
        // What was issued before the disable stays dead after the enable: the disable revoked it, it did not just hide it.
        given().header("Authorization", "Bearer " + issuedBefore).get("/oauth2/userinfo").then().statusCode(401);
        List<String> events = fixtures.outboxTypes(person.id().toString());
        assertTrue(events.containsAll(List.of("account_disabled", "account_enabled")), events.toString());
    }

    @Test
    void resettingMfaRemovesTheSecondFactorWithAnAuditedEvent() {
        String token = operatorToken(ORG);
        AdminFixtures.Person person = fixtures.person(ORG, List.of("tenant"), true);
        assertEquals(200, login(person), "password, then the TOTP page");
        as(token).post(accounts(ORG) + "/" + person.id() + "/mfa/reset").then().statusCode(200).body("totp", equalTo(false));
        assertNull(fixtures.row("select totp_secret from account where id = ?", person.id()).get("totp_secret"));
        assertEquals(302, login(person), "no second factor any more");
        assertTrue(fixtures.outboxTypes(person.id().toString()).contains("mfa_changed"));
    }

    @Test
    void operatorsSeeAndClearLockouts() {
        String token = operatorToken(ORG);
        AdminFixtures.Person person = fixtures.person(ORG, List.of("tenant"), false);
        fixtures.update("update account set failed_attempts = 100, locked_at = now(), throttled_until = now() + interval '1 hour' where id = ?",
                person.id());
        assertEquals(401, login(person), "locked");
        as(token).get("/admin/v1/organizations/" + ORG + "/lockouts").then().statusCode(200)
                .body("id", hasItem(person.id().toString()))
                .body("find { it.id == '" + person.id() + "' }.lockout.consecutiveFailures", equalTo(100));
        as(token).delete(accounts(ORG) + "/" + person.id() + "/lockout").then().statusCode(200)
                .body("lockout.locked", equalTo(false)).body("lockout.consecutiveFailures", equalTo(0));
        assertEquals(302, login(person));
        assertTrue(fixtures.outboxTypes(person.id().toString()).contains("account_unlocked"));
    }

    @Test
    void deletionPurgesPersonalDataAndKeepsATombstone() {
        String token = operatorToken(ORG);
        AdminFixtures.Person person = fixtures.person(ORG, List.of("tenant"), true);
        as(token).delete(accounts(ORG) + "/" + person.id()).then().statusCode(204);

        Map<String, Object> row = fixtures.row(
                "select username, display_name, password_hash, totp_secret, totp_last_step, roles::text as roles, deleted_at, disabled"
                        + " from account where id = ?", person.id());
        assertNotNull(row, "the tombstone row stays");
        assertNull(row.get("username"));
        assertEquals("", row.get("display_name"));
        assertNull(row.get("password_hash"));
        assertNull(row.get("totp_secret"));
        assertNull(row.get("totp_last_step"));
        assertEquals("{}", row.get("roles"));
        assertNotNull(row.get("deleted_at"));
        assertEquals(true, row.get("disabled"));
        assertEquals(401, login(person));
        assertTrue(fixtures.outboxTypes(person.id().toString()).contains("account_deleted"));
        as(token).get(accounts(ORG) + "/" + person.id()).then().statusCode(200).body("status", equalTo("deleted"))
                .body("username", nullValue());
        as(token).post(accounts(ORG) + "/" + person.id() + "/enable").then().statusCode(404);
        // The username is free again.
        as(token).contentType("application/json")
                .body(Map.of("username", person.username(), "displayName", "Someone New"))
                .post(accounts(ORG)).then().statusCode(201);
        assertFalse(fixtures.outboxTypes(person.id().toString()).isEmpty());
    }
}
