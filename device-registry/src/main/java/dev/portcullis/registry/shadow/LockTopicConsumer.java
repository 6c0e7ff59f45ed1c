package dev.portcullis.registry.shadow;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.admin.Db;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The registry's one consumer of what locks report (topic {@code portcullis.lock.v1}, and acknowledged unlocks on
 * {@code portcullis.unlock.v1}): each event updates the device shadow first. A malformed record is logged and
 * skipped; so is a record the shadow cannot apply (e.g. the database is unreachable), so that one bad record does
 * not stop the stream. A deadlock or serialization failure is retried (a few times, with back-off) before that.
 */
@ApplicationScoped
public class LockTopicConsumer {

    private static final Logger LOG = Logger.getLogger(LockTopicConsumer.class);

    @Inject
    LockShadows shadows;

    @Incoming("lock-events")
    public Uni<Void> consume(byte[] payload) {
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            LOG.warnf("skipping a malformed lock-topic record: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        // PostgreSQL may pick this transaction as a deadlock (or serialization) victim when reports of one lock
        // arrive together; it rolled back whole (the event id with it), so it is simply tried again.
        return Db.retryingConflicts(Uni.createFrom().deferred(() -> shadows.apply(envelope)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf(failure, "lock-topic event %s (%s) not applied to the shadow", envelope.getEventId(), envelope.getPayloadCase());
                    return null;
                })
                .replaceWithVoid();
    }

}
