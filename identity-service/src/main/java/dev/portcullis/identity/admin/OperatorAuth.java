package dev.portcullis.identity.admin;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.account.AccountEvents;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.oidc.AccessTokenVerifier;
import dev.portcullis.identity.oidc.OAuthException;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;

/**
 * Who may use the admin API: the bearer of an access token this issuer minted (at+jwt, ES256, our
 * issuer and audience, unexpired) with role {@code operator}, acting on the organization in its
 * {@code org} claim only, and whose account can still sign in. Another organization's resources are
 * answered 404 exactly like ones that do not exist, so their existence does not leak.
 */
@ApplicationScoped
public class OperatorAuth {

    public static final String ROLE = "operator";

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    AccountRepository accounts;

    /** The operator, or a failure: 401 (no/invalid token), 404 (other organization), 403 (not an operator). */
    public Uni<AccountEvents.Operator> authorize(String authorization, String organizationId) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().failure(unauthorized("A bearer access token is required"));
        }
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(authorization.substring(7).strip());
        } catch (OAuthException e) {
            return Uni.createFrom().failure(unauthorized("The access token is invalid or expired"));
        }
        UUID subject;
        UUID tokenOrganization;
        List<String> roles;
        try {
            subject = UUID.fromString(claims.getSubject());
            String org = claims.getStringClaim("org");
            tokenOrganization = org == null ? null : UUID.fromString(org);
            roles = claims.getStringListClaim("roles");
        } catch (ParseException | IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom().failure(unauthorized("The access token is malformed"));
        }
        UUID requested = parse(organizationId);
        if (tokenOrganization == null || !tokenOrganization.equals(requested)) {
            return Uni.createFrom().failure(ProblemException.notFound("The organization"));
        }
        if (roles == null || !roles.contains(ROLE)) {
            return Uni.createFrom().failure(ProblemException.forbidden("The operator role is required"));
        }
        return accounts.findActive(subject).map(account -> {
            if (account == null || !account.organizationId.equals(tokenOrganization)
                    || !List.of(account.roles).contains(ROLE)) {
                throw unauthorized("The operator's account can no longer act");
            }
            return new AccountEvents.Operator(account.id, account.organizationId);
        });
    }

    /** A path id that is not a UUID names nothing: 404. */
    public static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static AdminUnauthorized unauthorized(String detail) {
        return new AdminUnauthorized(detail);
    }
}
