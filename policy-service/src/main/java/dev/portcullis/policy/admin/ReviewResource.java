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
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import dev.portcullis.policy.admin.Bodies.WhatIfBody;
import dev.portcullis.policy.engine.DeviceState;
import dev.portcullis.policy.engine.DoorConditions;
import dev.portcullis.policy.engine.PolicyIndex;
import dev.portcullis.policy.engine.Usage;
import dev.portcullis.policy.engine.WhatIf;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import dev.portcullis.policy.engine.AccessReview;
import dev.portcullis.policy.engine.Interval;
import dev.portcullis.policy.engine.WhatCanOpen;
import dev.portcullis.policy.engine.WhoCanOpen;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Longest interval a review covers in one request. */
    static final Duration MAX_REVIEW = Duration.ofDays(31);

    /**
     * Who can open a door during [from, to) (default: the next 7 days): every subject with the grants
     * that reach it and the exact intervals, in the property's time zone with DST applied; JSON, or CSV
     * (one row per subject and interval) for a monthly access review.
     */
    @GET
    @Path("doors/{door}/access")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Uni<jakarta.ws.rs.core.Response> whoCanOpen(@PathParam("org") String org, @PathParam("door") String door,
            @QueryParam("from") String from, @QueryParam("to") String to, @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        Operator op = Operator.of(identity, Checks.organization(org));
        UUID doorId = doorId(door);
        Instant start = instant(from, clock.instant(), "from");
        Instant end = instant(to, start.plus(Duration.ofDays(7)), "to");
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_REVIEW) > 0) {
            throw Problems.invalid("from must be before to, at most 31 days apart");
        }
        UUID o = op.organizationId();
        boolean csv = accept != null && accept.contains("text/csv");
        return evaluated(cache.index(o).map(index -> AccessReview.whoCanOpen(index, doorId, start, end, usage.view(o))
                .orElseThrow(() -> ProblemException.notFound("The door"))))
                .map(review -> csv
                        ? jakarta.ws.rs.core.Response.ok(csv(review), "text/csv").build()
                        : jakarta.ws.rs.core.Response.ok(review, MediaType.APPLICATION_JSON).build());
    }

    /** What a subject can open now, and when each other door opens next, within {@code horizon} (ISO-8601, default P7D). */
    @GET
    @Path("subjects/{subject}/doors")
    public Uni<WhatCanOpen> whatCanOpen(@PathParam("org") String org, @PathParam("subject") String subject, @QueryParam("at") String at,
            @QueryParam("horizon") String horizon) {
        Operator op = Operator.of(identity, Checks.organization(org));
        String who = Checks.name(subject, "subject");
        Instant when = instant(at, clock.instant(), "at");
        Duration ahead = horizon(horizon);
        UUID o = op.organizationId();
        return evaluated(cache.index(o).map(index -> AccessReview.whatCanOpen(index, who, when, ahead, usage.view(o))));
    }

    /** A review horizon: an ISO-8601 duration, positive and at most 31 days (default P7D); otherwise a 400 problem. */
    public static Duration horizon(String horizon) {
        Duration ahead;
        try {
            ahead = horizon == null || horizon.isBlank() ? Duration.ofDays(7) : Duration.parse(horizon);
        } catch (DateTimeParseException e) {
            throw Problems.invalid("horizon must be an ISO-8601 duration such as P7D");
        }
        if (ahead.isNegative() || ahead.isZero() || ahead.compareTo(MAX_REVIEW) > 0) {
            throw Problems.invalid("horizon must be positive and at most 31 days");
        }
        return ahead;
    }

    /** What one decision would be: permit, reasons, obligations, and the grant that matched. */
    public record Outcome(boolean permit, List<String> reasons, List<String> obligations, UUID grantId) {
        static Outcome of(Decision decision) {
            return new Outcome(decision.permit(), decision.reasons().stream().map(Enum::name).toList(),
                    decision.obligations().stream().map(Object::toString).toList(), decision.grantId());
        }
    }

    /**
     * One (subject, door) pair whose access the draft changes ({@code effect} gained, lost or changed): access during the
     * period before and after, the door's conditions before and after, and the decision before and after at {@code at}
     * (the instant asked about, else the first instant at which access differs).
     */
    public record WhatIfChange(String effect, String subjectId, UUID doorId, String door, List<Interval> accessBefore,
            List<Interval> accessAfter, DoorConditions conditionsBefore, DoorConditions conditionsAfter, Instant at, Outcome before,
            Outcome after) {
    }

    public record WhatIfAnswer(long policyVersion, Instant from, Instant to, boolean noChange, List<WhatIfChange> changes) {
    }

    /**
     * What a draft change would do, compared with the policy in force, for a subject and/or a door at an instant or over
     * a period (default the next 7 days, at most 31). Nothing is written and nothing is published.
     */
    @POST
    @Path("what-if")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<WhatIfAnswer> whatIf(@PathParam("org") String org, WhatIfBody body) {
        Operator op = Operator.of(identity, Checks.organization(org));
        Checks.body(body);
        Draft draft = Draft.of(body.change());
        String who = body.subject() == null ? null : Checks.name(body.subject(), "subject");
        UUID doorId = body.door() == null ? null : doorId(body.door());
        if (who == null && doorId == null) {
            throw Problems.invalid("subject or door is required");
        }
        Instant at = body.at() == null ? null : instant(body.at(), null, "at");
        if (at != null && (body.from() != null || body.to() != null)) {
            throw Problems.invalid("give either at or from and to");
        }
        Instant start = at != null ? at : instant(body.from(), clock.instant(), "from");
        Instant end = at != null ? at.plusSeconds(1) : instant(body.to(), start.plus(Duration.ofDays(7)), "to");
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_REVIEW) > 0) {
            throw Problems.invalid("from must be before to, at most 31 days apart");
        }
        UUID o = op.organizationId();
        // Indexing the draft is CPU work proportional to the organization's policy: off the event loop.
        return evaluated(cache.index(o).emitOn(Infrastructure.getDefaultWorkerPool()).map(before -> {
            if (doorId != null && before.door(doorId) == null) {
                throw ProblemException.notFound("The door");
            }
            PolicyIndex after = PolicyIndex.of(draft.applyTo(before.snapshot(), op.subject(), clock.instant()));
            WhatIf.Result result = WhatIf.compare(before, after, start, end);
            Usage counts = usage.view(o);
            List<WhatIfChange> changes = new ArrayList<>();
            Map<String, List<WhatIf.AccessChange>> byEffect = new LinkedHashMap<>();
            byEffect.put("lost", result.lost());
            byEffect.put("gained", result.gained());
            byEffect.put("changed", result.changed());
            byEffect.forEach((effect, found) -> found.stream()
                    .filter(change -> (who == null || who.equals(change.subjectId())) && (doorId == null || doorId.equals(change.doorId())))
                    .forEach(change -> {
                        Instant when = at != null ? at : firstDifference(change);
                        DecisionRequest question = new DecisionRequest(change.subjectId(), change.doorId(), when,
                                DecisionRequest.SignIn.UNKNOWN);
                        DeviceState device = devices.of(o, change.doorId());
                        changes.add(new WhatIfChange(effect, change.subjectId(), change.doorId(), change.door(), change.before(),
                                change.after(), change.conditionsBefore(), change.conditionsAfter(), when,
                                Outcome.of(PolicyEngine.decideSafely(before, question, device, counts)),
                                Outcome.of(PolicyEngine.decideSafely(after, question, device, counts))));
                    }));
            return new WhatIfAnswer(before.version(), start, end, changes.isEmpty(), changes);
        }));
    }

    /** The first instant at which the pair's access differs; the start of its access when only the door's conditions differ. */
    static Instant firstDifference(WhatIf.AccessChange change) {
        java.util.TreeSet<Instant> edges = new java.util.TreeSet<>();
        for (Interval interval : change.before()) {
            edges.add(interval.start());
            edges.add(interval.end());
        }
        for (Interval interval : change.after()) {
            edges.add(interval.start());
            edges.add(interval.end());
        }
        for (Instant edge : edges) {
            if (covers(change.before(), edge) != covers(change.after(), edge)) {
                return edge;
            }
        }
        return edges.first();
    }

    private static boolean covers(List<Interval> intervals, Instant instant) {
        return intervals.stream().anyMatch(interval -> interval.contains(instant));
    }

    static String csv(WhoCanOpen review) {
        StringBuilder out = new StringBuilder("subject,start,end,grants,emergency_role,blocked_by_lockdown\n");
        for (WhoCanOpen.SubjectAccess subject : review.subjects()) {
            String grants = String.join(" ", subject.grants().stream().map(g -> g.grantId().toString()).toList());
            List<Interval> intervals = subject.intervals().isEmpty() ? java.util.Collections.singletonList(null) : subject.intervals();
            for (Interval interval : intervals) {
                out.append(cell(subject.subjectId())).append(',')
                        .append(interval == null ? "" : interval.start()).append(',')
                        .append(interval == null ? "" : interval.end()).append(',')
                        .append(grants).append(',').append(subject.emergencyRole()).append(',').append(subject.blockedByLockdown())
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
    private static String cell(String value) {
        String safe = value.isEmpty() || "=+-@".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    /** A review's failures as problems: bad arguments 400, anything else 503 (never a stack trace). */
    public static <T> Uni<T> evaluated(Uni<T> review) {
        return review.onFailure(IllegalArgumentException.class).transform(failure -> Problems.invalid(failure.getMessage()))
                .onFailure(failure -> !(failure instanceof ProblemException))
                .transform(failure -> ProblemException.unavailable("The policy could not be evaluated", Duration.ofSeconds(1)));
    }

    private static UUID doorId(String door) {
        try {
            return UUID.fromString((String) Checks.required(door, "door"));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("door must be a door id");
        }
    }

    /** An instant from a query parameter (the fallback when absent); otherwise a 400 problem naming it. */
    public static Instant instant(String text, Instant fallback, String name) {
        try {
            return text == null || text.isBlank() ? fallback : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Problems.invalid(name + " must be an instant such as 2026-11-26T15:30:00Z");
        }
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
