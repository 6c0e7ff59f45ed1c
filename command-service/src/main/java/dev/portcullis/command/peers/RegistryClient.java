package dev.portcullis.command.peers;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.proto.registry.v1.DeviceRegistry;
import dev.portcullis.proto.registry.v1.GetLockRequest;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.ResolveDoorRequest;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** Look-ups in device-registry, bounded by a deadline. */
@ApplicationScoped
public class RegistryClient {

    @GrpcClient("registry")
    DeviceRegistry registry;

    @Inject
    CommandConfig config;

    @Inject
    Breakers breakers;

    public Uni<ResolveDoorResponse> resolveDoor(UUID organizationId, UUID doorId) {
        ResolveDoorRequest request = ResolveDoorRequest.newBuilder()
                .setOrganizationId(organizationId.toString())
                .setDoorId(doorId.toString())
                .build();
        return breakers.registry(() -> registry.resolveDoor(request), config.registryDeadline());
    }

    public Uni<Lock> getLock(String lockId) {
        return registry.getLock(GetLockRequest.newBuilder().setLockId(lockId).build())
                .ifNoItem().after(config.registryDeadline()).fail();
    }

    /** The keys and epoch a command for this lock is addressed to. */
    public static LockIdentity identity(Lock lock) {
        return new LockIdentity(lock.getId(),
                PublicKeys.ed25519(lock.getSigningKey().getSpki().toByteArray()),
                PublicKeys.x25519(lock.getAgreementKey().getSpki().toByteArray()),
                lock.getKeyEpoch());
    }
}
