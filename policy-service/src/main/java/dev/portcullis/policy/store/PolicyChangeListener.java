package dev.portcullis.policy.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.policy.device.DeviceStates;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.PolicyChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code portcullis.policy.v1} on every replica (a consumer group of its own, latest offsets), so
 * a change committed by any replica drops the older cached policy here too.
 */
@ApplicationScoped
public class PolicyChangeListener {

    private static final Logger LOG = Logger.getLogger(PolicyChangeListener.class);

    /** The entity type of a device-state change (an operator cleared tamper): the door's row is read again. */
    public static final String DEVICE_STATE = "device_state";

    @Inject
    PolicyCache cache;

    @Inject
    DeviceStates devices;

    @Incoming("policy-changes")
    public Uni<Void> consume(byte[] payload) {
        try {
            EventEnvelope envelope = EventEnvelope.parseFrom(payload);
            if (!envelope.hasPolicyChanged()) {
                return Uni.createFrom().voidItem();
            }
            PolicyChanged change = envelope.getPolicyChanged();
            cache.changed(UUID.fromString(envelope.getOrganizationId()), change.getPolicyVersion());
            if (DEVICE_STATE.equals(change.getEntityType())) {
                return devices.reload(UUID.fromString(change.getEntityId()));
            }
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.warnf("skipping a malformed policy event: %s", e.getMessage());
        }
        return Uni.createFrom().voidItem();
    }
}
