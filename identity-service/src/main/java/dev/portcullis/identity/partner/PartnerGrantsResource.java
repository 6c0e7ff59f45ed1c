package dev.portcullis.identity.partner;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.client.OAuthClientRepository;
import dev.portcullis.identity.oidc.AccessTokenVerifier;
import dev.portcullis.identity.oidc.Authentication;
import dev.portcullis.identity.oidc.OAuthException;
import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An organization's operators grant partner clients scopes for their organization, and revoke them.
 * The caller presents an access token of this issuer for an active account with the {@code operator}
 * role that signed in with a second factor (acr aal2); the grant is always for the operator's own
 * organization. (Stands in for the hosted consent page; see the partners notes.)
 */
@Path("/admin/partner-grants")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerGrantsResource {

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    AccountRepository accounts;

    @Inject
    OAuthClientRepository clients;

    @Inject
    PartnerGrantRepository grants;

    @Inject
    PartnerClients partners;

    /** What a grant request carries. */
    public record GrantRequest(List<String> scopes) {
    }

    /** A grant as operators see it. */
    public record GrantView(String clientId, String organizationId, List<String> scopes, String grantedBy, String grantedAt) {

        static GrantView of(PartnerGrantEntity grant) {
            return new GrantView(grant.clientId, grant.organizationId.toString(), Arrays.asList(grant.scopes),
                    grant.grantedBy == null ? null : grant.grantedBy.toString(), grant.grantedAt.toString());
        }
    }

    @GET
    @WithSession
    public Uni<List<GrantView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return operator(authorization).flatMap(operator -> grants
                .list("organizationId = ?1 and revokedAt is null order by grantedAt", operator.organizationId)
                .map(rows -> rows.stream().map(GrantView::of).toList()));
    }

    @PUT
    @Path("/{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<GrantView> grant(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("clientId") String clientId,
            GrantRequest request) {
        List<String> scopes = request == null || request.scopes() == null ? List.of() : request.scopes();
        if (scopes.isEmpty() || !PartnerClients.PARTNER_SCOPES.containsAll(scopes)) {
            throw ProblemException.badRequest("invalid-scopes", "scopes must be a non-empty subset of " + PartnerClients.PARTNER_SCOPES);
        }
        return operator(authorization).flatMap(operator -> clients.find(clientId).flatMap(client -> {
            if (client == null || !client.usesPrivateKeyJwt()) {
                throw ProblemException.notFound("The partner client");
            }
            if (!client.allows(scopes)) {
                throw ProblemException.badRequest("invalid-scopes", "the partner is not registered for these scopes");
            }
            return partners.grant(clientId, operator.organizationId, List.copyOf(scopes), operator.id).map(GrantView::of);
        }));
    }

    @DELETE
    @Path("/{clientId}")
    @WithSession
    public Uni<Response> revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("clientId") String clientId) {
        return operator(authorization).flatMap(operator -> partners.revoke(clientId, operator.organizationId).map(revoked -> {
            if (!revoked) {
                throw ProblemException.notFound("The partner grant");
            }
            return Response.noContent().build();
        }));
    }

    /** The signed-in operator behind the bearer token; the account is re-read, the token's roles are not trusted alone. */
    private Uni<AccountEntity> operator(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OAuthException(401, "invalid_request", "a bearer access token is required", "Bearer");
        }
        JWTClaimsSet claims = verifier.verify(authorization.substring(7).trim());
        if (claims.getClaim("cnf") != null) {
            throw OAuthException.invalidToken("a DPoP-bound token is not a bearer token");
        }
        UUID subject;
        try {
            subject = UUID.fromString(claims.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.forbidden("Only an organization's operators manage partner grants");
        }
        if (!Authentication.AAL2.equals(claims.getClaim("acr"))) {
            throw ProblemException.forbidden("Granting partners access needs a sign-in with a second factor (aal2)");
        }
        return accounts.findActive(subject).map(account -> {
            if (account == null || !Arrays.asList(account.roles).contains("operator")
                    || !account.organizationId.toString().equals(String.valueOf(claims.getClaim("org")))) {
                throw ProblemException.forbidden("Only an organization's operators manage partner grants");
            }
            return account;
        });
    }
}
