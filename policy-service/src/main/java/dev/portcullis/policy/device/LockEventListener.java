package dev.portcullis.policy.device;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Lock events (topic {@code portcullis.lock.v1}) into device state: TAMPER marks the door tampered
 * until an operator clears it, LOCKOUT locks it out for the duration in the event's detail (or the
 * configured default), presence changes mark it online or offline. Every replica consumes every event.
 */
@ApplicationScoped
public class LockEventListener {

    private static final Logger LOG = Logger.getLogger(LockEventListener.class);

    @Inject
    DeviceStates states;

    @Inject
    DeviceConfig config;

    @Inject
    Clock clock;

    @Incoming("lock-events")
    public Uni<Void> consume(byte[] payload) {
        EventEnvelope envelope;
        UUID organizationId;
        try {
            envelope = EventEnvelope.parseFrom(payload);
            organizationId = UUID.fromString(envelope.getOrganizationId());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.warnf("skipping a malformed lock event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        try {
            if (envelope.hasLockEventReported()) {
                UUID door = UUID.fromString(envelope.getLockEventReported().getDoorId());
                LockEvent event = envelope.getLockEventReported().getEvent();
                Instant at = event.hasOccurredAt() ? instant(event.getOccurredAt()) : instant(envelope.getOccurredAt());
                switch (event.getType()) {
                    case LOCK_EVENT_TYPE_TAMPER:
                        return states.tampered(organizationId, door, at);
                    case LOCK_EVENT_TYPE_LOCKOUT:
                        return states.lockedOut(organizationId, door, at.plus(lockout(event.getDetail())));
                    default:
                        return Uni.createFrom().voidItem();
                }
            }
            if (envelope.hasLockPresenceChanged()) {
                UUID door = UUID.fromString(envelope.getLockPresenceChanged().getDoorId());
                Instant at = envelope.hasOccurredAt() ? instant(envelope.getOccurredAt()) : clock.instant();
                return states.presence(organizationId, door, envelope.getLockPresenceChanged().getOnline(), at);
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping lock event %s without a valid door id", envelope.getEventId());
        }
        return Uni.createFrom().voidItem();
    }

    private Duration lockout(String detail) {
        try {
            Duration duration = Duration.parse(detail.trim());
            return duration.isNegative() || duration.isZero() ? config.defaultLockout() : duration;
        } catch (DateTimeParseException e) {
            return config.defaultLockout();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
