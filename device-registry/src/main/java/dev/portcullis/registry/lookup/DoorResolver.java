package dev.portcullis.registry.lookup;

import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import dev.portcullis.registry.lock.LockRepository;
import dev.portcullis.registry.lock.LockStatus;
import dev.portcullis.registry.portfolio.DoorRepository;
import dev.portcullis.registry.portfolio.PropertyRepository;
import io.grpc.Status;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** The look-ups of the command path: a door with its lock and keys, a lock by id. */
@ApplicationScoped
public class DoorResolver {

    @Inject
    DoorRepository doors;

    @Inject
    PropertyRepository properties;

    @Inject
    LockRepository locks;

    /**
     * The door of the organization with its enrolled lock. NOT_FOUND when the organization has no such
     * door (whether or not another organization has); FAILED_PRECONDITION when no enrolled lock is on it.
     */
    @WithSession
    public Uni<ResolveDoorResponse> resolveDoor(UUID organizationId, UUID doorId) {
        return doors.findInOrganization(organizationId, doorId).flatMap(door -> {
            if (door == null) {
                return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("no such door").asRuntimeException());
            }
            return properties.findInOrganization(organizationId, door.propertyId).flatMap(property -> {
                if (property == null) {
                    return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("no such door").asRuntimeException());
                }
                return locks.findByDoor(door.id).map(lock -> {
                    if (lock == null || lock.status != LockStatus.ENROLLED || !lock.organizationId.equals(organizationId)) {
                        throw Status.FAILED_PRECONDITION.withDescription("the door has no enrolled lock").asRuntimeException();
                    }
                    return ResolveDoorResponse.newBuilder()
                            .setDoor(LockMessages.door(door, property))
                            .setLock(LockMessages.lock(lock))
                            .build();
                });
            });
        });
    }

    /** The lock in whatever status it is (callers check it); NOT_FOUND when there is none. */
    @WithSession
    public Uni<Lock> getLock(UUID lockId) {
        return locks.findById(lockId).map(lock -> {
            if (lock == null) {
                throw Status.NOT_FOUND.withDescription("no such lock").asRuntimeException();
            }
            return LockMessages.lock(lock);
        });
    }
}
