package dev.portcullis.identity.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.SsoBrowser;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.admin.AdminFixtures;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hosted consent page: an organization's operator lets a partner act for the organization, or does not. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class PartnerConsentTest {

    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);

    @Inject
    AdminFixtures fixtures;

    @Inject
    TestAccounts accounts;

    @Inject
    Partners partners;

    SsoBrowser signedIn(AdminFixtures.Person person) {
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        browser.password(person.username(), person.password());
        SsoBrowser.code(browser.totp(accounts.code(person.totpKey())));
        return browser;
    }

    long activeGrants(Partners.Partner partner) {
        return ((Number) fixtures.row("select count(*) as n from partner_grant where client_id = ? and revoked_at is null",
                partner.clientId()).get("n")).longValue();
    }

    @Test
    void anOperatorAllowsAPartnerForTheirOrganizationAndOnlyAnExplicitAllowGrants() {
        Partners.Partner partner = partners.create();
        SsoBrowser browser = signedIn(fixtures.person(ORG, List.of("operator"), true));
        String page = "/consent/partners/" + partner.clientId();

        HttpResponse<String> ask = browser.get(page + "?scope=unlock");
        assertEquals(200, ask.statusCode(), ask.body());
        assertTrue(ask.body().contains("<strong>Test partner</strong> asks to <strong>unlock doors</strong>"), ask.body());
        assertTrue(ask.body().contains("Harbor Lofts Management"), ask.body());
        assertEquals("default-src 'self'; frame-ancestors 'none'", ask.headers().firstValue("Content-Security-Policy").orElseThrow());

        // A forged form (no or another session's token) grants nothing.
        assertEquals(403, browser.post(page, Map.of("csrf", "forged", "scope", "unlock", "decision", "allow")).statusCode());
        assertEquals(0, activeGrants(partner));
        // Deny, or anything that is not an explicit allow, grants nothing.
        HttpResponse<String> denied = browser.post(page, Map.of("csrf", browser.csrf(), "scope", "unlock", "decision", "deny"));
        assertEquals(200, denied.statusCode());
        assertTrue(denied.body().contains("was not given access"), denied.body());
        assertEquals(200, browser.post(page, Map.of("csrf", browser.csrf(), "scope", "unlock", "decision", "ALLOW")).statusCode());
        assertEquals(0, activeGrants(partner));

        HttpResponse<String> allowed = browser.post(page, Map.of("csrf", browser.csrf(), "scope", "unlock", "decision", "allow"));
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals(1, activeGrants(partner));
        assertEquals(ORG.toString(), fixtures.row("select organization_id::text as org from partner_grant where client_id = ?",
                partner.clientId()).get("org"), "always the operator's own organization");
    }

    @Test
    void onlyASignedInOperatorOfTheOrganizationCanConsentAndOnlyToAPartnersOwnScopes() {
        Partners.Partner partner = partners.create();
        String page = "/consent/partners/" + partner.clientId();

        assertEquals(401, new SsoBrowser().get(page).statusCode(), "no session");
        SsoBrowser tenant = signedIn(fixtures.person(ORG, List.of("tenant"), true));
        assertEquals(403, tenant.get(page).statusCode(), "a tenant cannot give the organization away");

        AdminFixtures.Person passwordOnly = fixtures.person(ORG, List.of("operator"), false);
        SsoBrowser weak = new SsoBrowser();
        weak.authorize(Map.of());
        SsoBrowser.code(weak.password(passwordOnly.username(), passwordOnly.password()));
        HttpResponse<String> stepUp = weak.get(page);
        assertEquals(303, stepUp.statusCode(), "a password alone never gives an organization away");
        assertTrue(stepUp.headers().firstValue("Location").orElseThrow().endsWith("/account/security/reauth"));

        SsoBrowser operator = signedIn(fixtures.person(ORG, List.of("operator"), true));
        assertEquals(404, operator.get("/consent/partners/" + IdentityTestProfile.class.getSimpleName()).statusCode(), "unknown partner");
        assertEquals(404, operator.get("/consent/partners/portcullis-cli").statusCode(), "not a partner client");
        assertEquals(400, operator.get(page + "?scope=openid").statusCode(), "a scope partners cannot have");
        assertEquals(0, activeGrants(partner));
    }
}
