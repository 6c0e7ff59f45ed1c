package dev.portcullis.registry.lookup;

import dev.portcullis.proto.registry.v1.DeviceRegistry;
import dev.portcullis.proto.registry.v1.GetLockRequest;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.ResolveDoorRequest;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import dev.portcullis.registry.Ids;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;

@GrpcService
public class DeviceRegistryGrpcService implements DeviceRegistry {

    @Inject
    DoorResolver resolver;

    @Override
    public Uni<ResolveDoorResponse> resolveDoor(ResolveDoorRequest request) {
        UUID organizationId = uuid(request.getOrganizationId(), "organization_id");
        UUID doorId = uuid(request.getDoorId(), "door_id");
        return resolver.resolveDoor(organizationId, doorId);
    }

    @Override
    public Uni<Lock> getLock(GetLockRequest request) {
        return resolver.getLock(uuid(request.getLockId(), "lock_id"));
    }

    private static UUID uuid(String value, String field) {
        return Ids.uuid(value).orElseThrow(
                () -> Status.INVALID_ARGUMENT.withDescription(field + " must be a UUID").asRuntimeException());
    }
}
