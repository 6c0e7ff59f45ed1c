package dev.portcullis.identity.admin;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountAdmin;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountEvents;
import dev.portcullis.identity.account.OrganizationEntity;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The operator admin API (JSON; errors are problem+json): an organization's settings and accounts.
 * Every call needs an operator's access token for that organization (see {@link OperatorAuth}).
 */
@Path("/admin/v1/organizations/{organizationId}")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    @Inject
    OperatorAuth auth;

    @Inject
    AccountAdmin admin;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    public record OrganizationView(String id, String name, boolean requireMfa) {
        static OrganizationView of(OrganizationEntity org) {
            return new OrganizationView(org.id.toString(), org.name, org.requireMfa);
        }
    }

    public record OrganizationChange(Boolean requireMfa) {
    }

    public record Lockout(int consecutiveFailures, boolean locked, OffsetDateTime lockedAt, OffsetDateTime lockedUntil) {
    }

    public record AccountView(String id, String username, String displayName, List<String> roles, String status,
            boolean totp, Lockout lockout, OffsetDateTime createdAt) {
    }

    public record Invitation(String token, String activationUrl, OffsetDateTime expiresAt) {
    }

    public record InvitedView(AccountView account, Invitation invitation) {
    }

    @GET
    public Uni<OrganizationView> organization(@PathParam("organizationId") String organizationId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return auth.authorize(authorization, organizationId)
                .flatMap(operator -> admin.organization(operator.organizationId()))
                .map(OrganizationView::of);
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<OrganizationView> change(@PathParam("organizationId") String organizationId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, OrganizationChange change) {
        return auth.authorize(authorization, organizationId).flatMap(operator -> {
            if (change == null || change.requireMfa() == null) {
                throw ProblemException.badRequest("invalid-change", "requireMfa (true or false) is required");
            }
            return admin.setRequireMfa(operator.organizationId(), change.requireMfa());
        }).map(OrganizationView::of);
    }

    @GET
    @Path("/accounts")
    public Uni<List<AccountView>> accounts(@PathParam("organizationId") String organizationId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return auth.authorize(authorization, organizationId)
                .flatMap(operator -> admin.list(operator.organizationId()))
                .map(list -> list.stream().map(this::view).toList());
    }

    @GET
    @Path("/lockouts")
    public Uni<List<AccountView>> lockouts(@PathParam("organizationId") String organizationId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return auth.authorize(authorization, organizationId)
                .flatMap(operator -> admin.lockedOut(operator.organizationId()))
                .map(list -> list.stream().map(this::view).toList());
    }

    @POST
    @Path("/accounts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> invite(@PathParam("organizationId") String organizationId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, AccountAdmin.NewAccount request) {
        return auth.authorize(authorization, organizationId).flatMap(operator -> {
            if (request == null) {
                throw ProblemException.badRequest("invalid-account", "username and displayName are required");
            }
            return admin.invite(operator, operator.organizationId(), request);
        }).map(invited -> {
            String url = config.issuer() + "/activate?token=" + URLEncoder.encode(invited.token(), StandardCharsets.UTF_8);
            return Response.created(URI.create("/admin/v1/organizations/" + organizationId + "/accounts/" + invited.account().id))
                    .header("Cache-Control", "no-store")
                    .entity(new InvitedView(view(invited.account()), new Invitation(invited.token(), url, invited.expiresAt())))
                    .build();
        });
    }

    @GET
    @Path("/accounts/{accountId}")
    public Uni<AccountView> account(@PathParam("organizationId") String organizationId, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return act(organizationId, accountId, authorization, (operator, id) -> admin.get(operator.organizationId(), id));
    }

    @POST
    @Path("/accounts/{accountId}/disable")
    public Uni<AccountView> disable(@PathParam("organizationId") String organizationId, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return act(organizationId, accountId, authorization, (operator, id) -> admin.disable(operator, operator.organizationId(), id));
    }

    @POST
    @Path("/accounts/{accountId}/enable")
    public Uni<AccountView> enable(@PathParam("organizationId") String organizationId, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return act(organizationId, accountId, authorization, (operator, id) -> admin.enable(operator, operator.organizationId(), id));
    }

    @POST
    @Path("/accounts/{accountId}/mfa/reset")
    public Uni<AccountView> resetMfa(@PathParam("organizationId") String organizationId, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return act(organizationId, accountId, authorization, (operator, id) -> admin.resetMfa(operator, operator.organizationId(), id));
    }

    @DELETE
    @Path("/accounts/{accountId}/lockout")
    public Uni<AccountView> clearLockout(@PathParam("organizationId") String organizationId, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return act(organizationId, accountId, authorization,
                (operator, id) -> admin.clearLockout(operator, operator.organizationId(), id));
    }

    @DELETE
    @Path("/accounts/{accountId}")
    public Uni<Response> delete(@PathParam("organizationId") String organizationId, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return auth.authorize(authorization, organizationId).flatMap(operator -> {
            UUID id = OperatorAuth.parse(accountId);
            if (id == null) {
                throw ProblemException.notFound("The account");
            }
            return admin.delete(operator, operator.organizationId(), id);
        }).map(ignored -> Response.noContent().build());
    }

    private interface Action {
        Uni<AccountEntity> apply(AccountEvents.Operator operator, UUID accountId);
    }

    private Uni<AccountView> act(String organizationId, String accountId, String authorization, Action action) {
        return auth.authorize(authorization, organizationId).flatMap(operator -> {
            UUID id = OperatorAuth.parse(accountId);
            if (id == null) {
                throw ProblemException.notFound("The account");
            }
            return action.apply(operator, id);
        }).map(this::view);
    }

    AccountView view(AccountEntity account) {
        String status = account.deletedAt != null ? "deleted"
                : account.disabled ? "disabled"
                : account.passwordHash == null ? "invited"
                : "active";
        boolean locked = account.throttledUntil != null && clock.instant().isBefore(account.throttledUntil.toInstant());
        return new AccountView(account.id.toString(), account.username, account.displayName,
                account.roles == null ? List.of() : Arrays.asList(account.roles), status, account.hasTotp(),
                new Lockout(account.failedAttempts, locked, locked ? account.lockedAt : null, locked ? account.throttledUntil : null),
                account.createdAt);
    }
}
