package dev.portcullis.policy.decision;

import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.CheckRoleRequest;
import dev.portcullis.proto.policy.v1.CheckRoleResponse;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

@GrpcService
public class PolicyGrpcService implements PolicyService {

    @Inject
    Authorizer authorizer;

    @Inject
    RoleChecker roles;

    @Override
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return authorizer.authorize(request);
    }

    @Inject
    dev.portcullis.policy.admin.Tenancies tenancies;

    @Inject
    dev.portcullis.policy.version.PolicyVersionRepository versions;

    @Override
    public Uni<dev.portcullis.proto.policy.v1.EndTenancyResponse> endTenancy(dev.portcullis.proto.policy.v1.EndTenancyRequest request) {
        java.util.UUID organization;
        java.util.UUID property;
        try {
            organization = java.util.UUID.fromString(request.getOrganizationId());
            property = java.util.UUID.fromString(request.getPropertyId());
        } catch (IllegalArgumentException e) {
            return invalid("organization_id and property_id must be UUIDs");
        }
        if (request.getSubjectIdsCount() < 1 || request.getSubjectIdsCount() > 20
                || request.getSubjectIdsList().stream().anyMatch(subject -> subject.isBlank() || subject.length() > 200)) {
            return invalid("subject_ids must name 1 to 20 subjects");
        }
        if (request.getOperatorSubject().isBlank() || request.getReason().isBlank() || request.getReason().length() > 200) {
            return invalid("operator_subject and a reason (at most 200 characters) are required");
        }
        return tenancies.end(organization, property, request.getSubjectIdsList(), request.getOperatorSubject(), request.getReason())
                .flatMap(revoked -> io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> versions.current(organization))
                        .map(version -> dev.portcullis.proto.policy.v1.EndTenancyResponse.newBuilder()
                                .addAllRevokedGrantIds(revoked).setPolicyVersion(version).build()));
    }

    private static <T> Uni<T> invalid(String why) {
        return Uni.createFrom().failure(io.grpc.Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
    }

    @Override
    public Uni<CheckRoleResponse> checkRole(CheckRoleRequest request) {
        return roles.check(request);
    }

    @Inject
    AccessChecker access;

    @Override
    public Uni<dev.portcullis.proto.policy.v1.CheckAccessResponse> checkAccess(dev.portcullis.proto.policy.v1.CheckAccessRequest request) {
        return access.check(request);
    }
}
