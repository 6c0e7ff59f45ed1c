package dev.portcullis.policy.selfservice;

import dev.portcullis.policy.admin.ReviewResource;
import dev.portcullis.policy.engine.AccessReview;
import dev.portcullis.policy.engine.Interval;
import dev.portcullis.policy.engine.WhatCanOpen;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.policy.store.UsageCounters;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Self-service: the doors the signed-in person can open now and when the others next open, for the subject
 * and organization of the access token only. The same computation as the operators'
 * {@code review/subjects/{subject}/doors}; nothing is consumed or recorded.
 */
@Path("/v1/me/doors")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MyDoorsResource {

    /** One door as its person sees it: no grant ids or tier internals, only what applies to opening it. */
    public record MyDoor(UUID doorId, String door, UUID propertyId, boolean openNow, Instant nextOpening, List<Interval> intervals,
            List<String> notes) {

        static MyDoor of(WhatCanOpen.DoorAccess access) {
            return new MyDoor(access.doorId(), access.door(), access.propertyId(), access.openNow(), access.nextOpening(),
                    access.intervals(), access.notes().stream().map(reason -> reason.name().replaceFirst("^REASON_", "")).toList());
        }
    }

    public record MyDoors(String subjectId, Instant at, Instant until, List<MyDoor> doors) {
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    PolicyCache cache;

    @Inject
    UsageCounters usage;

    @Inject
    Clock clock;

    @GET
    public Uni<MyDoors> mine(@QueryParam("at") String at, @QueryParam("horizon") String horizon) {
        SignedInPerson me = SignedInPerson.of(identity);
        Instant when = ReviewResource.instant(at, clock.instant(), "at");
        Duration ahead = ReviewResource.horizon(horizon);
        UUID org = me.organizationId();
        return ReviewResource.evaluated(cache.index(org)
                .map(index -> AccessReview.whatCanOpen(index, me.subject(), when, ahead, usage.view(org)))
                .map(review -> new MyDoors(review.subjectId(), review.at(), review.until(),
                        review.doors().stream().map(MyDoor::of).toList())));
    }
}
