package dev.portcullis.command.support;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.FilePlatformKeys;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.CheckRoleRequest;
import dev.portcullis.proto.policy.v1.CheckRoleResponse;
import dev.portcullis.proto.policy.v1.LockFactor;
import dev.portcullis.proto.policy.v1.Obligation;
import dev.portcullis.proto.policy.v1.PolicyServiceGrpc;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.proto.policy.v1.SecondApprover;
import dev.portcullis.proto.policy.v1.StepUp;
import dev.portcullis.proto.registry.v1.DeviceRegistryGrpc;
import dev.portcullis.proto.registry.v1.Door;
import dev.portcullis.proto.registry.v1.GetLockRequest;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.LockStatus;
import dev.portcullis.proto.registry.v1.PublicKey;
import dev.portcullis.proto.registry.v1.ResolveDoorRequest;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * command-service's peers for its own tests, served over real gRPC on loopback: a policy whose answer
 * the test sets, and a registry that knows the doors and locks the test enrolls. (The end-to-end suite
 * runs the real policy-service and device-registry.) Also generates the platform keys for the service.
 */
public class PeerServices implements QuarkusTestResourceLifecycleManager {

    /** What the policy answers next: permit, deny with a reason, or stall past the deadline. */
    public enum PolicyMode { PERMIT, DENY_OUTSIDE_SCHEDULE, STALL, PERMIT_AFTER_STEP_UP, PERMIT_WITH_SECOND_APPROVER,
        PERMIT_WITH_LOCK_FACTOR, UNAVAILABLE }

    /** How many stalled decisions policy has finally answered (a deadline must decide before that). */
    public static final AtomicInteger STALLED_ANSWERS = new AtomicInteger();
    public static final AtomicReference<PolicyMode> POLICY = new AtomicReference<>(PolicyMode.PERMIT);
    public static final AtomicInteger AUTHORIZE_CALLS = new AtomicInteger();
    /** Doors whose next look-up the registry answers only after a while (to hold an attempt between authorized and sent); once. */
    public static final Map<String, Duration> RESOLVE_DELAY = new ConcurrentHashMap<>();
    /** The last request policy was asked to decide. */
    public static final AtomicReference<AuthorizeRequest> LAST_AUTHORIZE = new AtomicReference<>();
    private static final Map<String, Lock> LOCKS_BY_DOOR = new ConcurrentHashMap<>();
    private static final Map<String, Lock> LOCKS_BY_ID = new ConcurrentHashMap<>();

    private Server server;

    /** Makes the registry answer for this door with this (enrolled) lock. */
    public static void enroll(String organizationId, String doorId, TestLock lock) {
        enroll(organizationId, doorId, lock.lockId(), lock.keys());
    }

    /** Makes the registry answer for this door with a lock of this id and these keys (enrolled). */
    public static void enroll(String organizationId, String doorId, String lockId, dev.portcullis.lock.protocol.InMemoryLockKeys keys) {
        Lock registered = Lock.newBuilder()
                .setId(lockId)
                .setOrganizationId(organizationId)
                .setDoorId(doorId)
                .setStatus(LockStatus.LOCK_STATUS_ENROLLED)
                .setSigningKey(PublicKey.newBuilder().setAlgorithm("Ed25519").setKeyId(KeyIds.of(keys.signingPublicKey()))
                        .setSpki(ByteString.copyFrom(keys.signingPublicKey().getEncoded())))
                .setAgreementKey(PublicKey.newBuilder().setAlgorithm("X25519").setKeyId(KeyIds.of(keys.agreementPublicKey()))
                        .setSpki(ByteString.copyFrom(keys.agreementPublicKey().getEncoded())))
                .setKeyEpoch(1)
                .build();
        LOCKS_BY_DOOR.put(organizationId + "/" + doorId, registered);
        LOCKS_BY_ID.put(lockId, registered);
    }

    @Override
    public Map<String, String> start() {
        try {
            Path keys = Files.createTempDirectory("platform-keys");
            Path signing = keys.resolve("signing.pem");
            Path agreement = keys.resolve("agreement.pem");
            FilePlatformKeys.generate(signing, agreement);
            TestLock.trustPlatform(FilePlatformKeys.load(signing, agreement));
            server = ServerBuilder.forPort(0).addService(new Policy()).addService(new Registry()).build().start();
            String port = String.valueOf(server.getPort());
            // In test mode Quarkus gRPC clients use their test-port (defaulting to the app's own port).
            return Map.of(
                    "quarkus.grpc.clients.policy.test-port", port,
                    "quarkus.grpc.clients.registry.test-port", port,
                    "portcullis.platform.signing-key-file", signing.toString(),
                    "portcullis.platform.agreement-key-file", agreement.toString(),
                    "quarkus.grpc.clients.policy.host", "127.0.0.1",
                    "quarkus.grpc.clients.policy.port", port,
                    "quarkus.grpc.clients.registry.host", "127.0.0.1",
                    "quarkus.grpc.clients.registry.port", port);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the peer services", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Who holds which role for which door, as policy would answer CheckRole: "subject/door/role". */
    public static final Set<String> ROLES = ConcurrentHashMap.newKeySet();

    static final class Policy extends PolicyServiceGrpc.PolicyServiceImplBase {
        @Override
        public void checkRole(CheckRoleRequest request, StreamObserver<CheckRoleResponse> response) {
            response.onNext(CheckRoleResponse.newBuilder()
                    .setHolds(ROLES.contains(request.getSubjectId() + "/" + request.getDoorId() + "/" + request.getRole()))
                    .setPolicyVersion("7").build());
            response.onCompleted();
        }

        @Override
        public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> response) {
            AUTHORIZE_CALLS.incrementAndGet();
            LAST_AUTHORIZE.set(request);
            switch (POLICY.get()) {
                case UNAVAILABLE -> {
                    response.onError(io.grpc.Status.UNAVAILABLE.withDescription("policy is down").asRuntimeException());
                    return;
                }
                case STALL -> {
                    sleep(Duration.ofSeconds(8));
                    STALLED_ANSWERS.incrementAndGet();
                    response.onNext(permit());
                }
                case DENY_OUTSIDE_SCHEDULE -> response.onNext(AuthorizeResponse.newBuilder()
                        .setDecision(Decision.DECISION_DENY)
                        .addReasons(Reason.REASON_OUTSIDE_SCHEDULE)
                        .setDecisionId(UUID.randomUUID().toString())
                        .setPolicyVersion("7")
                        .build());
                case PERMIT -> response.onNext(permit());
                case PERMIT_AFTER_STEP_UP -> response.onNext(permit().toBuilder()
                        .clearReasons().addReasons(Reason.REASON_STEP_UP_REQUIRED)
                        .addObligations(Obligation.newBuilder().setStepUp(StepUp.newBuilder().addAcrValues("aal2").setMaxAgeSeconds(900)))
                        .build());
                case PERMIT_WITH_SECOND_APPROVER -> response.onNext(permit().toBuilder()
                        .addReasons(Reason.REASON_SECOND_APPROVER_REQUIRED)
                        .addObligations(Obligation.newBuilder().setSecondApprover(SecondApprover.newBuilder().setEligibleRole("property_manager")))
                        .build());
                case PERMIT_WITH_LOCK_FACTOR -> response.onNext(permit().toBuilder()
                        .addReasons(Reason.REASON_LOCK_FACTOR_REQUIRED)
                        .addObligations(Obligation.newBuilder().setLockFactor(LockFactor.newBuilder().setFactor("biometric_liveness")))
                        .build());
            }
            response.onCompleted();
        }

        private static AuthorizeResponse permit() {
            return AuthorizeResponse.newBuilder()
                    .setDecision(Decision.DECISION_PERMIT)
                    .addReasons(Reason.REASON_GRANT_MATCHED)
                    .setDecisionId(UUID.randomUUID().toString())
                    .setGrantId(UUID.randomUUID().toString())
                    .setPolicyVersion("7")
                    .build();
        }
    }

    static final class Registry extends DeviceRegistryGrpc.DeviceRegistryImplBase {
        @Override
        public void resolveDoor(ResolveDoorRequest request, StreamObserver<ResolveDoorResponse> response) {
            Duration delay = RESOLVE_DELAY.remove(request.getDoorId());
            if (delay != null) {
                sleep(delay);
            }
            Lock lock = LOCKS_BY_DOOR.get(request.getOrganizationId() + "/" + request.getDoorId());
            if (lock == null) {
                response.onError(Status.NOT_FOUND.withDescription("no such door").asRuntimeException());
                return;
            }
            response.onNext(ResolveDoorResponse.newBuilder()
                    .setDoor(Door.newBuilder().setId(request.getDoorId()).setOrganizationId(request.getOrganizationId())
                            .setTimeZone("Europe/Berlin"))
                    .setLock(lock)
                    .build());
            response.onCompleted();
        }

        @Override
        public void getLock(GetLockRequest request, StreamObserver<Lock> response) {
            Lock lock = LOCKS_BY_ID.get(request.getLockId());
            if (lock == null) {
                response.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            response.onNext(lock);
            response.onCompleted();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
