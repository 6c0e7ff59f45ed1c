package dev.portcullis.registry.lookup;

import com.google.protobuf.ByteString;
import dev.portcullis.proto.registry.v1.Door;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.LockStatus;
import dev.portcullis.proto.registry.v1.PublicKey;
import dev.portcullis.registry.lock.LockEntity;
import dev.portcullis.registry.portfolio.DoorEntity;
import dev.portcullis.registry.portfolio.PropertyEntity;

/** Entities as the DeviceRegistry contract's messages. */
final class LockMessages {

    private LockMessages() {
    }

    static Lock lock(LockEntity lock) {
        Lock.Builder message = Lock.newBuilder()
                .setId(lock.id.toString())
                .setOrganizationId(lock.organizationId.toString())
                .setDoorId(lock.doorId != null ? lock.doorId.toString() : lock.lastDoorId != null ? lock.lastDoorId.toString() : "")
                .setStatus(status(lock.status))
                .setKeyEpoch(lock.keyEpoch)
                .setModel(lock.model);
        if (lock.signingKeySpki != null) {
            message.setSigningKey(PublicKey.newBuilder()
                    .setKeyId(lock.signingKeyId).setAlgorithm("Ed25519").setSpki(ByteString.copyFrom(lock.signingKeySpki)));
        }
        if (lock.agreementKeySpki != null) {
            message.setAgreementKey(PublicKey.newBuilder()
                    .setKeyId(lock.agreementKeyId).setAlgorithm("X25519").setSpki(ByteString.copyFrom(lock.agreementKeySpki)));
        }
        return message.build();
    }

    static Door door(DoorEntity door, PropertyEntity property) {
        return Door.newBuilder()
                .setId(door.id.toString())
                .setOrganizationId(door.organizationId.toString())
                .setPropertyId(door.propertyId.toString())
                .setName(door.name)
                .setTimeZone(property.timeZone)
                .build();
    }

    private static LockStatus status(dev.portcullis.registry.lock.LockStatus status) {
        return switch (status) {
            case PENDING_ENROLLMENT -> LockStatus.LOCK_STATUS_PENDING_ENROLLMENT;
            case ENROLLED -> LockStatus.LOCK_STATUS_ENROLLED;
            case RETIRED -> LockStatus.LOCK_STATUS_RETIRED;
        };
    }
}
