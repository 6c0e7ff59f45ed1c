package dev.portcullis.policy.admin;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.policy.device.DeviceStates;
import dev.portcullis.policy.engine.Decision;
import dev.portcullis.policy.engine.DecisionRequest;
import dev.portcullis.policy.engine.PolicyEngine;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.policy.store.UsageCounters;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Reviews for operators, from the same cached policy that decides: "why can / can't this subject open
 * this door at this instant" with every rule looked at. Nothing is consumed or recorded.
 */
@Path("/admin/v1/organizations/{org}/review")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    PolicyCache cache;

    @Inject
    DeviceStates devices;

    @Inject
    UsageCounters usage;

    @Inject
    Clock clock;

    public record Explanation(boolean permit, List<String> reasons, List<String> obligations, UUID grantId, long policyVersion,
            List<Decision.RuleResult> trace) {
    }

    @GET
    @Path("explain")
    public Uni<Explanation> explain(@PathParam("org") String org, @QueryParam("subject") String subject, @QueryParam("door") String door,
            @QueryParam("at") String at) {
        Operator op = Operator.of(identity, Checks.organization(org));
        String who = Checks.name(subject, "subject");
        UUID doorId;
        try {
            doorId = UUID.fromString((String) Checks.required(door, "door"));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("door must be a door id");
        }
        Instant when;
        try {
            when = at == null || at.isBlank() ? clock.instant() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw Problems.invalid("at must be an instant such as 2026-11-26T15:30:00Z");
        }
        UUID o = op.organizationId();
        return cache.index(o)
                .map(index -> PolicyEngine.decide(index, new DecisionRequest(who, doorId, when, DecisionRequest.SignIn.UNKNOWN),
                        devices.of(o, doorId), usage.view(o)))
                .map(decision -> new Explanation(decision.permit(), decision.reasons().stream().map(Enum::name).toList(),
                        decision.obligations().stream().map(Object::toString).toList(), decision.grantId(), decision.policyVersion(),
                        decision.trace()))
                .onFailure(failure -> !(failure instanceof ProblemException))
                .transform(failure -> ProblemException.unavailable("The policy could not be evaluated", java.time.Duration.ofSeconds(1)));
    }
}
