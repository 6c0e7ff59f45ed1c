package dev.portcullis.registry.credential;

import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.CheckAccessRequest;
import dev.portcullis.proto.policy.v1.CheckAccessResponse;
import dev.portcullis.proto.policy.v1.CheckRoleRequest;
import dev.portcullis.proto.policy.v1.CheckRoleResponse;
import dev.portcullis.proto.policy.v1.EndTenancyRequest;
import dev.portcullis.proto.policy.v1.EndTenancyResponse;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for policy-service's EndTenancy and CheckAccess in this module's tests (policy-service's own tests
 * cover which grants it revokes and when grants open a door): records each request and answers EndTenancy with a
 * fresh grant id per subject, CheckAccess with "opens" exactly for the (subject, door) pairs in {@link #OPENS},
 * or UNAVAILABLE.
 */
@GrpcService
public class TestPolicy implements PolicyService {

    public static final List<EndTenancyRequest> REQUESTS = new CopyOnWriteArrayList<>();
    public static volatile boolean available = true;
    public static final List<CheckAccessRequest> ACCESS_CHECKS = new CopyOnWriteArrayList<>();
    /** "subject door" pairs whose CheckAccess answers opens. */
    public static final java.util.Set<String> OPENS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** "subject door" pairs whose access ends at the given instant: a window starting then or later does not open. */
    public static final java.util.Map<String, java.time.Instant> ACCESS_ENDS = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Uni<CheckAccessResponse> checkAccess(CheckAccessRequest request) {
        if (!available) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        ACCESS_CHECKS.add(request);
        String pair = request.getSubjectId() + " " + request.getDoorId();
        java.time.Instant ends = ACCESS_ENDS.get(pair);
        boolean opens = OPENS.contains(pair) && (ends == null || request.getFrom().getSeconds() < ends.getEpochSecond());
        CheckAccessResponse.Builder answer = CheckAccessResponse.newBuilder().setDoorKnown(true).setOpens(opens).setPolicyVersion("7");
        if (opens) {
            answer.setFirstOpening(request.getFrom());
        }
        return Uni.createFrom().item(answer.build());
    }

    @Override
    public Uni<EndTenancyResponse> endTenancy(EndTenancyRequest request) {
        if (!available) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.asRuntimeException());
        }
        REQUESTS.add(request);
        EndTenancyResponse.Builder response = EndTenancyResponse.newBuilder().setPolicyVersion(7);
        request.getSubjectIdsList().forEach(subject -> response.addRevokedGrantIds(UUID.nameUUIDFromBytes(subject.getBytes()).toString()));
        return Uni.createFrom().item(response.build());
    }

    @Override
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }

    @Override
    public Uni<CheckRoleResponse> checkRole(CheckRoleRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.asRuntimeException());
    }
}
