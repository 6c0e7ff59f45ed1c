package dev.portcullis.policy.decision;

import dev.portcullis.policy.engine.PolicySnapshot;
import dev.portcullis.policy.engine.Role;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.proto.policy.v1.CheckRoleRequest;
import dev.portcullis.proto.policy.v1.CheckRoleResponse;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Whether a subject holds a role for a door: org-wide or in the door's property (who may be the second
 * person of a two-person unlock). Unknown door or subject: does not hold. Fails closed.
 */
@ApplicationScoped
public class RoleChecker {

    @Inject
    PolicyCache cache;

    public Uni<CheckRoleResponse> check(CheckRoleRequest request) {
        UUID organizationId = uuid(request.getOrganizationId(), "organization_id");
        UUID doorId = uuid(request.getDoorId(), "door_id");
        if (request.getSubjectId().isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("subject_id is required").asRuntimeException();
        }
        Role role;
        try {
            role = Role.of(request.getRole());
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        return cache.index(organizationId).map(index -> {
            PolicySnapshot snapshot = index.snapshot();
            PolicySnapshot.Door door = snapshot.doors().get(doorId);
            boolean holds = door != null && snapshot.roles().stream().anyMatch(assignment -> assignment.role() == role
                    && assignment.subjectId().equals(request.getSubjectId())
                    && (assignment.propertyId() == null || assignment.propertyId().equals(door.propertyId())));
            return CheckRoleResponse.newBuilder().setHolds(holds).setPolicyVersion(String.valueOf(snapshot.version())).build();
        }).onFailure().recoverWithItem(failure -> CheckRoleResponse.newBuilder().setHolds(false).build());
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(field + " must be a UUID").asRuntimeException();
        }
    }
}
