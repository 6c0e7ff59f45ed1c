package dev.portcullis.audit.query;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who reads the log, from the verified access token: subject ({@code sub}), organization
 * ({@code org}) and whether they hold the {@code operator} role (claim {@code roles}).
 */
public record Caller(String subject, UUID organizationId, boolean operator) {

    public static final String OPERATOR = "operator";

    public static Caller of(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw ProblemException.unauthorized("An access token is required");
        }
        String subject = token.getSubject();
        String org = string(token.getClaim("org"));
        if (subject == null || subject.isBlank() || org == null || org.isBlank()) {
            throw ProblemException.forbidden("The access token does not name a subject and an organization");
        }
        UUID organizationId;
        try {
            organizationId = UUID.fromString(org);
        } catch (IllegalArgumentException e) {
            throw ProblemException.forbidden("The access token's organization is not valid");
        }
        return new Caller(subject, organizationId, identity.hasRole(OPERATOR));
    }

    private static String string(Object claim) {
        if (claim == null) {
            return null;
        }
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim instanceof String text ? text : null;
    }
}
