package dev.portcullis.registry.admin;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The operator behind an admin request, from the verified access token. The token's {@code org} must be
 * the organization in the path (otherwise 404: another tenant's organization does not exist for the
 * caller) and it must hold {@code operator} or {@code owner} (otherwise 403).
 */
public record Operator(String subject, UUID organizationId) {

    public static Operator of(SecurityIdentity identity, String pathOrganization) {
        UUID organizationId;
        try {
            organizationId = UUID.fromString(pathOrganization);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("The organization");
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw ProblemException.unauthorized("An access token is required");
        }
        Object org = token.getClaim("org");
        String claimed = org instanceof JsonString json ? json.getString() : org instanceof String text ? text : null;
        if (claimed == null || !claimed.equals(organizationId.toString())) {
            throw ProblemException.notFound("The organization");
        }
        if (!identity.hasRole("operator") && !identity.hasRole("owner")) {
            throw ProblemException.forbidden("Administering the device registry needs the operator or owner role");
        }
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw ProblemException.forbidden("The access token does not name a subject");
        }
        return new Operator(subject, organizationId);
    }
}
