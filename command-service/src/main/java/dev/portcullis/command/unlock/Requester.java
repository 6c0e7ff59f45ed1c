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

    public static Requester fromToken(JsonWebToken token) {
        String subject = token.getSubject();
        Object org = token.getClaim("org");
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
