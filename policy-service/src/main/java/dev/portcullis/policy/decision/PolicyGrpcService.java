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

    @Override
    public Uni<CheckRoleResponse> checkRole(CheckRoleRequest request) {
        return roles.check(request);
    }
}
