package dev.portcullis.command.gateway;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Watches each connected lock's clock (from heartbeats and from signed acknowledgements) against the
 * platform's. A lock whose clock is off by more than the alert threshold refuses commands (expired or
 * not yet valid on its clock) or accepts them late, so it raises a CLOCK_SKEW alert on the lock topic:
 * once per stream while the clock stays off, again after it came back and went off once more.
 */
@ApplicationScoped
public class LockClocks {

    private static final Logger LOG = Logger.getLogger(LockClocks.class);

    @Inject
    CommandConfig config;

    @Inject
    LockEventPublisher events;

    public Uni<Void> observe(LockSession session, Instant lockTime) {
        Duration offset = Duration.between(Instant.now(), lockTime);
        boolean off = offset.abs().compareTo(config.gateway().clockSkewAlert()) > 0;
        int episode = session.clockEpisode(off);
        if (episode < 0) {
            return Uni.createFrom().voidItem();
        }
        String detail = String.format(Locale.ROOT, "%+.1f s", offset.toMillis() / 1000.0);
        LOG.warnf("lock %s clock is off by %s", session.lock().lockId(), detail);
        return events.publish(session, LockEvent.newBuilder()
                .setEventId("platform/clock-skew/" + session.id() + "/" + episode)
                .setType(LockEventType.LOCK_EVENT_TYPE_CLOCK_SKEW)
                .setOccurredAt(UnlockEvents.timestamp(Instant.now()))
                .setDetail(detail)
                .build())
                // an alert that cannot be written is logged above; it never fails the stream or the unlock
                .onFailure().invoke(failure -> LOG.warnf("clock alert of lock %s not recorded: %s", session.lock().lockId(), failure.toString()))
                .onFailure().recoverWithNull();
    }
}
