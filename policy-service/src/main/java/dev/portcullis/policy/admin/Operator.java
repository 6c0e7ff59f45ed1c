package dev.portcullis.policy.admin;

import dev.portcullis.kit.auth.AssuranceLevel;
import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The operator behind an admin request, from the verified access token. The token's {@code org} must be
 * the organization in the path (otherwise 404: another tenant's organization does not exist for the
 * caller) and it must hold {@code operator} or {@code owner} (otherwise 403).
 */
public record Operator(String subject, UUID organizationId, String acr, Instant authTime) {

    /** How recent the strong sign-in behind a lockdown must be. */
    static final Duration STEP_UP_MAX_AGE = Duration.ofMinutes(15);

    public static Operator of(SecurityIdentity identity, UUID pathOrganization) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw ProblemException.unauthorized("An access token is required");
        }
        String org = string(token.getClaim("org"));
        if (org == null || !org.equals(pathOrganization.toString())) {
            throw ProblemException.notFound("The organization");
        }
        if (!identity.hasRole("operator") && !identity.hasRole("owner")) {
            throw ProblemException.forbidden("Administering policy needs the operator or owner role");
        }
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw ProblemException.forbidden("The access token does not name a subject");
        }
        Object authTime = token.getClaim("auth_time");
        Instant signedInAt = authTime instanceof JsonNumber number ? Instant.ofEpochSecond(number.longValue())
                : authTime instanceof Number number ? Instant.ofEpochSecond(number.longValue()) : null;
        return new Operator(subject, pathOrganization, string(token.getClaim("acr")), signedInAt);
    }

    /**
     * RFC 9470: actions that stop a whole property need a strong (aal2) sign-in within the last 15 minutes;
     * otherwise 401 with an {@code insufficient_user_authentication} challenge naming what is needed.
     */
    public void requireRecentStrongSignIn(Instant now) {
        boolean strong = AssuranceLevel.satisfies(acr, AssuranceLevel.AAL2);
        boolean recent = authTime != null && !authTime.plus(STEP_UP_MAX_AGE).isBefore(now) && !authTime.isAfter(now.plusSeconds(60));
        if (!strong || !recent) {
            throw new ProblemException(401, "insufficient-user-authentication", "Unauthorized",
                    "This action needs a sign-in at aal2 within the last 15 minutes")
                    .header("WWW-Authenticate", "Bearer error=\"insufficient_user_authentication\", "
                            + "error_description=\"A recent strong sign-in is required\", acr_values=\"aal2\", max_age="
                            + STEP_UP_MAX_AGE.toSeconds());
        }
    }

    private static String string(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim instanceof String text ? text : null;
    }
}
