package dev.portcullis.command.unlock;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.Authentication;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who asks, as the verified access token says: subject, organization, roles and how they authenticated. */
public record Requester(ActorType type, String subject, UUID organizationId, String clientId, Set<String> roles,
        List<String> amr, String acr, long authTime) {

    /** The policy subject of a partner: namespaced, so it can never match a person's grants. */
    public static final String PARTNER_SUBJECT_PREFIX = "partner:";

    public static Requester fromToken(JsonWebToken token) {
        return fromToken(token, null);
    }

    /**
     * A person's token names one organization ({@code org}). A partner's client-credentials token has no
     * {@code org} but the organizations that granted it ({@code orgs}); the request picks one of them
     * ({@code organization}, optional when there is only one) and the partner acts only there.
     */
    public static Requester fromToken(JsonWebToken token, String requestedOrganization) {
        String subject = token.getSubject();
        Object org = token.getClaim("org");
        if (org == null && token.getClaim("orgs") != null) {
            return partner(token, requestedOrganization);
        }
        if (subject == null || subject.isBlank() || org == null) {
            throw ProblemException.forbidden("The access token does not name a subject and an organization");
        }
        UUID organizationId;
        try {
            organizationId = UUID.fromString(org.toString().replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw ProblemException.forbidden("The access token's organization is not valid");
        }
        Object authTime = token.getClaim("auth_time");
        return new Requester(ActorType.ACTOR_TYPE_USER, subject, organizationId, stringClaim(token, "client_id"),
                Set.copyOf(strings(token.getClaim("roles"))), strings(token.getClaim("amr")), stringClaim(token, "acr"),
                authTime instanceof Number n ? n.longValue() : 0L);
    }

    private static Requester partner(JsonWebToken token, String requestedOrganization) {
        String subject = token.getSubject();
        String clientId = stringClaim(token, "client_id");
        if (subject == null || subject.isBlank() || !subject.equals(clientId)) {
            throw ProblemException.forbidden("The partner token must name the client as its subject");
        }
        Object scope = token.getClaim("scope");
        if (scope == null || !List.of(scope.toString().replace("\"", "").split(" ")).contains("unlock")) {
            throw ProblemException.forbidden("The partner token does not carry the unlock scope");
        }
        List<String> granted = strings(token.getClaim("orgs"));
        String chosen;
        if (requestedOrganization != null && !requestedOrganization.isBlank()) {
            if (!granted.contains(requestedOrganization)) {
                throw ProblemException.forbidden("This organization has not granted the partner access");
            }
            chosen = requestedOrganization;
        } else if (granted.size() == 1) {
            chosen = granted.get(0);
        } else {
            throw ProblemException.badRequest("organization-required",
                    "Several organizations granted this partner access: name one with the organization query parameter");
        }
        UUID organizationId;
        try {
            organizationId = UUID.fromString(chosen);
        } catch (IllegalArgumentException e) {
            throw ProblemException.forbidden("The access token's organization is not valid");
        }
        return new Requester(ActorType.ACTOR_TYPE_PARTNER, subject, organizationId, clientId, Set.of(), List.of(), null, 0L);
    }

    /** Whom policy decides for: a person's subject, or the namespaced partner client (no person's grant ever matches it). */
    public String policySubject() {
        return type == ActorType.ACTOR_TYPE_PARTNER ? PARTNER_SUBJECT_PREFIX + subject : subject;
    }

    public boolean isOperator() {
        return roles.contains("operator");
    }

    public Authentication authentication() {
        return Authentication.newBuilder()
                .addAllAmr(amr)
                .setAcr(acr == null ? "" : acr)
                .setAuthTime(Timestamp.newBuilder().setSeconds(authTime))
                .setClientId(clientId == null ? "" : clientId)
                .build();
    }

    private static String stringClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        return value == null ? null : value.toString().replace("\"", "");
    }

    private static List<String> strings(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> items) {
            items.forEach(item -> values.add(item.toString().replace("\"", "")));
        } else if (claim != null) {
            values.add(claim.toString().replace("\"", ""));
        }
        return values;
    }
}
