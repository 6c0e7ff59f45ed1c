package dev.portcullis.policy.decision;

import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

@GrpcService
public class PolicyGrpcService implements PolicyService {

    @Inject
    Authorizer authorizer;

    @Override
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return authorizer.authorize(request);
    }
}
