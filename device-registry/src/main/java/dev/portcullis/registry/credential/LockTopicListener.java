package dev.portcullis.registry.credential;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import dev.portcullis.registry.admin.Db;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * What command-service's gateway says about locks (topic portcullis.lock.v1), as far as credentials go:
 * a lock that comes online gets its pending changes at once; a lock's credential inventory is reconciled.
 * Replicas share one consumer group; handling an event twice changes nothing more.
 */
@ApplicationScoped
public class LockTopicListener {

    private static final Logger LOG = Logger.getLogger(LockTopicListener.class);

    @Inject
    CredentialSync sync;

    @Inject
    Reconciliation reconciliation;

    @Incoming("lock-credentials")
    public Uni<Void> consume(byte[] payload) {
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            LOG.warnf("skipping a malformed lock event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        try {
            if (envelope.hasLockPresenceChanged() && envelope.getLockPresenceChanged().getOnline()) {
                sync.wake(UUID.fromString(envelope.getLockPresenceChanged().getLockId()));
                return Uni.createFrom().voidItem();
            }
            if (envelope.hasLockCredentialsReported()) {
                LockCredentialsReported report = envelope.getLockCredentialsReported();
                List<UUID> ids = new ArrayList<>();
                for (String id : report.getCredentialIdsList()) {
                    ids.add(UUID.fromString(id));
                }
                // a report racing a sync of the same lock can make PostgreSQL pick it as a deadlock victim: it rolled
                // back whole, so it is reconciled again rather than dropped
                return Db.retryingConflicts(Uni.createFrom().deferred(() -> reconciliation.reported(
                        UUID.fromString(envelope.getOrganizationId()), UUID.fromString(report.getLockId()), ids,
                        report.getCredentialSetDigest().toByteArray())))
                        .onFailure().invoke(failure -> LOG.warnf("reconciling lock %s failed: %s", report.getLockId(), failure.toString()))
                        .onFailure().recoverWithNull()
                        .replaceWithVoid();
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping lock event %s with an invalid id", envelope.getEventId());
        }
        return Uni.createFrom().voidItem();
    }
}
