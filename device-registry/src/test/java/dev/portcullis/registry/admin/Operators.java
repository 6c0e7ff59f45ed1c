package dev.portcullis.registry.admin;

import static io.restassured.RestAssured.given;

import dev.portcullis.testkit.oidc.TestIssuer;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Real HTTP calls to the admin API with tokens from the loopback issuer. */
public record Operators(UUID org, String token) {

    /** An operator of a fresh organization. */
    public static Operators ofNewOrganization() {
        UUID org = UUID.randomUUID();
        return new Operators(org, TestIssuer.shared().token("operator-" + org, org.toString(), "operator").sign());
    }

    /** Someone of the same organization with other roles. */
    public Operators withRoles(String... roles) {
        return new Operators(org, TestIssuer.shared().token("person-" + UUID.randomUUID(), org.toString(), roles).sign());
    }

    public RequestSpecification call() {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON).basePath("/admin/v1/organizations/" + org);
    }

    public UUID create(String path, Map<String, ?> body) {
        return UUID.fromString(call().body(body).post(path).then().statusCode(201).extract().path("id"));
    }

    public UUID property(String name) {
        return create("/properties", Map.of("name", name, "timeZone", "Europe/Berlin"));
    }

    public UUID lockModel(String manufacturer, String model, int maxUsers, int maxCredentials) {
        return create("/lock-models", Map.of("manufacturer", manufacturer, "model", model, "credentialTypes", java.util.List.of("PIN", "CARD"),
                "maxUsers", maxUsers, "maxCredentials", maxCredentials));
    }
}
