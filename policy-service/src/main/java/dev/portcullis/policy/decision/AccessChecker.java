package dev.portcullis.policy.decision;

import com.google.protobuf.Timestamp;
import dev.portcullis.policy.engine.AccessReview;
import dev.portcullis.policy.engine.WhatCanOpen;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.policy.store.UsageCounters;
import dev.portcullis.proto.policy.v1.CheckAccessRequest;
import dev.portcullis.proto.policy.v1.CheckAccessResponse;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Whether a subject's own grants open a door at some instant of a window, read like an access review (use
 * limits counted, lockdown blocking): nothing is decided, consumed or recorded. Fails closed: when the policy
 * cannot be read the answer is UNAVAILABLE, never "opens".
 */
@ApplicationScoped
public class AccessChecker {

    private static final Logger LOG = Logger.getLogger(AccessChecker.class);

    static final Duration MAX_WINDOW = Duration.ofDays(31);

    @Inject
    PolicyCache cache;

    @Inject
    UsageCounters usage;

    @Inject
    Clock clock;

    public Uni<CheckAccessResponse> check(CheckAccessRequest request) {
        UUID organizationId = uuid(request.getOrganizationId(), "organization_id");
        UUID doorId = uuid(request.getDoorId(), "door_id");
        String subject = request.getSubjectId();
        if (subject.isBlank() || subject.length() > 200) {
            throw Status.INVALID_ARGUMENT.withDescription("subject_id is required (at most 200 characters)").asRuntimeException();
        }
        Instant from = request.hasFrom() ? instant(request.getFrom()) : clock.instant();
        Instant to = request.hasTo() ? instant(request.getTo()) : from.plusSeconds(1);
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw Status.INVALID_ARGUMENT.withDescription("from must be before to, at most 31 days apart").asRuntimeException();
        }
        return cache.index(organizationId).map(index -> {
            CheckAccessResponse.Builder answer = CheckAccessResponse.newBuilder().setPolicyVersion(String.valueOf(index.version()))
                    .setDoorKnown(index.door(doorId) != null);
            WhatCanOpen review = AccessReview.whatCanOpen(index, subject, from, Duration.between(from, to), usage.view(organizationId));
            review.doors().stream().filter(door -> door.doorId().equals(doorId)).findFirst()
                    .map(door -> door.openNow() ? from : door.nextOpening())
                    .ifPresent(first -> answer.setOpens(true).setFirstOpening(timestamp(first)));
            return answer.build();
        }).onFailure().transform(failure -> {
            LOG.warnf("access check failed closed: %s", failure.toString());
            return Status.UNAVAILABLE.withDescription("policy could not be evaluated").asRuntimeException();
        });
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(field + " must be a UUID").asRuntimeException();
        }
    }
}
