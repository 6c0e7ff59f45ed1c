package dev.portcullis.identity.partner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.Accounts;
import dev.portcullis.identity.oidc.AuthorizationCodeEntity;
import dev.portcullis.identity.oidc.TokenMinter;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Operators grant and revoke partner access for their own organization; nobody else can. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class PartnerGrantsResourceTest {

    @Inject
    Partners partners;

    @Inject
    Accounts accounts;

    @Inject
    TokenMinter minter;

    /** A person of the organization, and an access token as the code flow would mint it for them. */
    String tokenFor(UUID organization, String role, String acr) {
        UUID id = UUID.randomUUID();
        Partners.await(() -> accounts.upsert(new Accounts.AccountDefinition(id, organization, "op-" + id + "@example.test",
                "Operator " + id, "pw-" + UUID.randomUUID(), null, List.of(role))));
        AccountEntity account = new AccountEntity();
        account.id = id;
        account.organizationId = organization;
        account.roles = new String[] {role};
        account.displayName = "Operator " + id;
        AuthorizationCodeEntity code = new AuthorizationCodeEntity();
        code.clientId = "portcullis-cli";
        code.scope = "openid";
        code.amr = acr.equals("aal2") ? new String[] {"pwd", "otp", "mfa"} : new String[] {"pwd"};
        code.acr = acr;
        code.authTime = OffsetDateTime.now(ZoneOffset.UTC);
        return minter.mint(code, account).accessToken();
    }

    static io.restassured.response.Response put(String token, String clientId, Object body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request.when().put("/admin/partner-grants/{client}", clientId);
    }

    @Test
    void anOperatorGrantsTheirOrganizationAndThePartnerTokenSaysSo() {
        UUID organization = partners.organization();
        Partners.Partner partner = partners.create();
        String operator = tokenFor(organization, "operator", "aal2");

        put(operator, partner.clientId(), Map.of("scopes", List.of("unlock")))
                .then().statusCode(200).body("organizationId", equalTo(organization.toString())).body("scopes", contains("unlock"));
        given().auth().oauth2(operator).when().get("/admin/partner-grants")
                .then().statusCode(200).body("clientId", hasItem(partner.clientId()));

        var issued = ClientCredentialsTest.token(partners.assertion(partner, c -> { }), Map.of());
        issued.then().statusCode(200);
        assertEquals(List.of(organization.toString()), ClientCredentialsTest.orgs(issued));

        given().auth().oauth2(operator).when().delete("/admin/partner-grants/{client}", partner.clientId()).then().statusCode(204);
        given().auth().oauth2(operator).when().get("/admin/partner-grants")
                .then().statusCode(200).body("clientId", not(hasItem(partner.clientId())));
        ClientCredentialsTest.token(partners.assertion(partner, c -> { }), Map.of())
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void onlyOperatorsWithASecondFactorMayGrant() {
        UUID organization = partners.organization();
        Partners.Partner partner = partners.create();
        put(null, partner.clientId(), Map.of("scopes", List.of("unlock"))).then().statusCode(401);
        put(tokenFor(organization, "tenant", "aal2"), partner.clientId(), Map.of("scopes", List.of("unlock"))).then().statusCode(403);
        put(tokenFor(organization, "operator", "aal1"), partner.clientId(), Map.of("scopes", List.of("unlock"))).then().statusCode(403);
        ClientCredentialsTest.token(partners.assertion(partner, c -> { }), Map.of())
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void onlyPartnerClientsAndPartnerScopesCanBeGranted() {
        UUID organization = partners.organization();
        String operator = tokenFor(organization, "operator", "aal2");
        put(operator, "portcullis-cli", Map.of("scopes", List.of("unlock"))).then().statusCode(404);
        put(operator, "no-such-client", Map.of("scopes", List.of("unlock"))).then().statusCode(404);
        Partners.Partner partner = partners.create();
        put(operator, partner.clientId(), Map.of("scopes", List.of("openid"))).then().statusCode(400);
        put(operator, partner.clientId(), Map.of("scopes", List.of())).then().statusCode(400);
        given().auth().oauth2(operator).when().delete("/admin/partner-grants/{client}", partner.clientId()).then().statusCode(404);
    }

    @Test
    void anOperatorCannotRevokeAnotherOrganizationsGrant() {
        UUID mine = partners.organization();
        UUID theirs = partners.organization();
        Partners.Partner partner = partners.create(theirs);
        given().auth().oauth2(tokenFor(mine, "operator", "aal2")).when().delete("/admin/partner-grants/{client}", partner.clientId())
                .then().statusCode(404);
        var issued = ClientCredentialsTest.token(partners.assertion(partner, c -> { }), Map.of());
        issued.then().statusCode(200);
        assertEquals(List.of(theirs.toString()), ClientCredentialsTest.orgs(issued));
    }
}
