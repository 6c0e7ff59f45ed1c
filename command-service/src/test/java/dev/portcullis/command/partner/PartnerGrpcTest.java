package dev.portcullis.command.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.support.AttemptFeed;
import dev.portcullis.command.unlock.AttemptChangeFeed;
import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.unlock.v1.ActionAttempt;
import dev.portcullis.proto.unlock.v1.ActionAttemptStatus;
import dev.portcullis.proto.unlock.v1.GetActionAttemptRequest;
import dev.portcullis.proto.unlock.v1.UnlockRequest;
import dev.portcullis.proto.unlock.v1.UnlockServiceGrpc;
import dev.portcullis.proto.unlock.v1.WatchActionAttemptsRequest;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestDpop;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partner unlock API over real gRPC on the service's HTTP port: tokens verified by quarkus-oidc as for
 * REST, a partner acting only in organizations that granted it, attempts visible only to their requester,
 * and the watch stream fed from the unlock topic.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class PartnerGrpcTest {

    private static final String ORG = UUID.randomUUID().toString();
    private static final String OTHER_ORG = UUID.randomUUID().toString();
    private static final String PARTNER = "partner-" + UUID.randomUUID();
    private static final String OTHER_PARTNER = "partner-" + UUID.randomUUID();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AttemptChangeFeed feed;

    private final List<TestLock> locks = new ArrayList<>();
    private ManagedChannel channel;

    @BeforeEach
    void open() {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void close() {
        locks.forEach(TestLock::close);
        channel.shutdownNow();
    }

    private TestLock connectedLock(String organization, String door) {
        TestLock lock = new TestLock();
        PeerServices.enroll(organization, door, lock);
        lock.connect(port);
        locks.add(lock);
        return lock;
    }

    private static String partnerToken(String partner, String... organizations) {
        return TestIssuer.shared().partner(partner, "unlock", organizations).sign();
    }

    private UnlockServiceGrpc.UnlockServiceBlockingStub as(String authorization) {
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        }
        return UnlockServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private UnlockServiceGrpc.UnlockServiceBlockingStub bearer(String token) {
        return as("Bearer " + token);
    }

    private static UnlockRequest unlockOf(String door) {
        return UnlockRequest.newBuilder().setDoorId(door).setIdempotencyKey(UUID.randomUUID().toString()).build();
    }

    private static Status.Code refusal(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void aPartnerUnlocksOverGrpcAndTheLockActuatesOnce() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);

        ActionAttempt attempt = bearer(partnerToken(PARTNER, ORG))
                .unlock(unlockOf(door).toBuilder().setOnBehalfOf("booking 4711 / guest Ana").build());

        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED, attempt.getStatus());
        assertEquals(ORG, attempt.getOrganizationId());
        assertEquals(door, attempt.getDoorId());
        assertEquals(lock.lockId(), attempt.getLockId());
        assertEquals(ActorType.ACTOR_TYPE_PARTNER, attempt.getRequester().getType());
        assertEquals(PARTNER, attempt.getRequester().getId());
        assertEquals(1, lock.actuations());
        assertEquals("partner:" + PARTNER, PeerServices.LAST_AUTHORIZE.get().getSubjectId());
        EventEnvelope requested = eventsFor(attempt.getId(), 4).get(0);
        assertEquals("booking 4711 / guest Ana", requested.getUnlockRequested().getOnBehalfOf(), "recorded for the audit");
    }

    @Test
    void aPartnerCannotActInAnOrganizationThatDidNotGrantIt() {
        String door = UUID.randomUUID().toString();
        TestLock foreign = connectedLock(OTHER_ORG, door);
        String token = partnerToken(PARTNER, ORG);

        assertEquals(Status.Code.PERMISSION_DENIED,
                refusal(() -> bearer(token).unlock(unlockOf(door).toBuilder().setOrganizationId(OTHER_ORG).build())));
        // A partner granted only by the other organization, naming ours: refused too.
        assertEquals(Status.Code.PERMISSION_DENIED, refusal(() -> bearer(partnerToken(OTHER_PARTNER, OTHER_ORG))
                .unlock(unlockOf(door).toBuilder().setOrganizationId(ORG).build())));
        // In its own organization the other organization's door does not exist.
        ActionAttempt inOwn = bearer(token).unlock(unlockOf(door));
        assertEquals(ORG, inOwn.getOrganizationId());
        assertTrue(inOwn.getStatus() != ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED);
        assertEquals(0, foreign.received().size());
    }

    @Test
    void withoutAValidTokenTheCallIsUnauthenticated() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> as(null).unlock(unlockOf(door))));
        assertEquals(Status.Code.UNAUTHENTICATED,
                refusal(() -> bearer(TestIssuer.shared().partner(PARTNER, "unlock", ORG).foreignKey().sign()).unlock(unlockOf(door))));
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> bearer("not-a-token").unlock(unlockOf(door))));
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> as(null).watchActionAttempts(
                WatchActionAttemptsRequest.getDefaultInstance()).hasNext()));
        assertEquals(0, lock.received().size());
    }

    @Test
    void aDpopBoundTokenIsRefusedOverGrpc() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        TestDpop dpop = new TestDpop();
        String bound = TestIssuer.shared().partner(PARTNER, "unlock", ORG).boundTo(dpop.thumbprint()).sign();
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> bearer(bound).unlock(unlockOf(door))));
        // Even under the DPoP scheme with a proof in the metadata: the gRPC API takes no bound tokens.
        String url = "http://127.0.0.1:" + port + "/portcullis.unlock.v1.UnlockService/Unlock";
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "DPoP " + bound);
        headers.put(Metadata.Key.of("dpop", Metadata.ASCII_STRING_MARSHALLER), dpop.proof("POST", url, bound));
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> UnlockServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).unlock(unlockOf(door))));
        assertEquals(0, lock.received().size());
    }

    @Test
    void aTokenWithoutTheUnlockScopeOrOfAPersonIsPermissionDenied() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String readOnly = TestIssuer.shared().partner(PARTNER, "doors:read", ORG).sign();
        assertEquals(Status.Code.PERMISSION_DENIED, refusal(() -> bearer(readOnly).unlock(unlockOf(door))));
        String person = TestIssuer.shared().token(UUID.randomUUID().toString(), ORG, "operator").sign();
        assertEquals(Status.Code.PERMISSION_DENIED, refusal(() -> bearer(person).unlock(unlockOf(door))));
        String several = partnerToken(PARTNER, ORG, OTHER_ORG);
        assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> bearer(several).unlock(unlockOf(door))), "must name one");
        assertEquals(0, lock.received().size());
    }

    @Test
    void badArgumentsAreInvalidAndReachNoLock() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        var stub = bearer(partnerToken(PARTNER, ORG));
        assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> stub.unlock(unlockOf("door-7"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> stub.unlock(unlockOf(door).toBuilder().clearIdempotencyKey().build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> stub.unlock(unlockOf(door).toBuilder().setOnBehalfOf("x".repeat(201)).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> stub.unlock(unlockOf(door).toBuilder().setOnBehalfOf("guest\nforged: line").build())));
        StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> stub.getActionAttempt(
                GetActionAttemptRequest.newBuilder().setActionAttemptId("nope").build()));
        assertEquals("action_attempt_id must be a UUID", invalid.getStatus().getDescription());
        assertEquals(0, lock.received().size());
        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED,
                stub.unlock(unlockOf(door).toBuilder().setOnBehalfOf("x".repeat(200)).build()).getStatus());
    }

    @Test
    void aPolicyDenialIsTheAttemptWithItsReasons() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        PeerServices.POLICY.set(PeerServices.PolicyMode.DENY_OUTSIDE_SCHEDULE);
        ActionAttempt denied = bearer(partnerToken(PARTNER, ORG)).unlock(unlockOf(door));
        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_DENIED, denied.getStatus());
        assertEquals(List.of("OUTSIDE_SCHEDULE"), denied.getReasonsList());
        assertEquals(0, lock.received().size());
    }

    @Test
    void aRetryWithTheSameKeyReturnsTheSameAttemptAndSendsOneCommand() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        var stub = bearer(partnerToken(PARTNER, ORG));
        UnlockRequest request = unlockOf(door);
        ActionAttempt first = stub.unlock(request);
        ActionAttempt retry = stub.unlock(request);
        assertEquals(first.getId(), retry.getId());
        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED, retry.getStatus());
        assertEquals(1, lock.received().size());
        assertEquals(1, lock.actuations());
        assertEquals(Status.Code.ALREADY_EXISTS, refusal(() -> stub.unlock(request.toBuilder().setDoorId(UUID.randomUUID().toString()).build())));
    }

    @Test
    void anAttemptIsVisibleOnlyToItsPartnerInItsOrganization() {
        String door = UUID.randomUUID().toString();
        connectedLock(ORG, door);
        ActionAttempt attempt = bearer(partnerToken(PARTNER, ORG, OTHER_ORG)).unlock(unlockOf(door).toBuilder().setOrganizationId(ORG).build());
        GetActionAttemptRequest get = GetActionAttemptRequest.newBuilder().setActionAttemptId(attempt.getId()).build();

        assertEquals(attempt.getId(), bearer(partnerToken(PARTNER, ORG)).getActionAttempt(get).getId());
        assertEquals(Status.Code.NOT_FOUND, refusal(() -> bearer(partnerToken(OTHER_PARTNER, ORG)).getActionAttempt(get)));
        assertEquals(Status.Code.NOT_FOUND, refusal(() -> bearer(partnerToken(PARTNER, ORG, OTHER_ORG))
                .getActionAttempt(get.toBuilder().setOrganizationId(OTHER_ORG).build())));
        assertEquals(Status.Code.NOT_FOUND, refusal(() -> bearer(partnerToken(PARTNER, ORG))
                .getActionAttempt(get.toBuilder().setActionAttemptId(UUID.randomUUID().toString()).build())));
        assertEquals(Status.Code.NOT_FOUND, refusal(() -> bearer(partnerToken(OTHER_PARTNER, ORG)).watchActionAttempts(
                WatchActionAttemptsRequest.newBuilder().setActionAttemptId(attempt.getId()).build()).hasNext()));
    }

    @Test
    void aWatchSeesItsOwnAttemptStepByStepAndNothingElse() throws Exception {
        AttemptFeed.awaitAssigned();
        String partner = "partner-" + UUID.randomUUID();
        String otherPartner = "partner-" + UUID.randomUUID();
        String door = UUID.randomUUID().toString();
        String otherPartnersDoor = UUID.randomUUID().toString();
        String otherOrgDoor = UUID.randomUUID().toString();
        connectedLock(ORG, door);
        connectedLock(ORG, otherPartnersDoor);
        connectedLock(OTHER_ORG, otherOrgDoor);
        String token = partnerToken(partner, ORG, OTHER_ORG);

        Watch mine = watch(token, WatchActionAttemptsRequest.newBuilder().setOrganizationId(ORG).build());
        Watch othersPartner = watch(partnerToken(otherPartner, ORG), WatchActionAttemptsRequest.getDefaultInstance());
        Watch mineElsewhere = watch(token, WatchActionAttemptsRequest.newBuilder().setOrganizationId(OTHER_ORG).build());

        ActionAttempt foreignOrg = bearer(token).unlock(unlockOf(otherOrgDoor).toBuilder().setOrganizationId(OTHER_ORG).build());
        ActionAttempt othersAttempt = bearer(partnerToken(otherPartner, ORG)).unlock(unlockOf(otherPartnersDoor));
        ActionAttempt own = bearer(token).unlock(unlockOf(door).toBuilder().setOrganizationId(ORG).build());

        assertEquals(List.of(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_REQUESTED, ActionAttemptStatus.ACTION_ATTEMPT_STATUS_AUTHORIZED,
                ActionAttemptStatus.ACTION_ATTEMPT_STATUS_DISPATCHED, ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED),
                mine.statusesUntilFinal(own.getId()));
        // The others' watches saw their attempts end too, so the feed has handled those events as well.
        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED, othersPartner.statusesUntilFinal(othersAttempt.getId()).get(3));
        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED, mineElsewhere.statusesUntilFinal(foreignOrg.getId()).get(3));
        Thread.sleep(300);
        assertEquals(List.of(own.getId()), mine.attemptIds(), "never another partner's or organization's attempt");
        assertEquals(List.of(othersAttempt.getId()), othersPartner.attemptIds());
        assertEquals(List.of(foreignOrg.getId()), mineElsewhere.attemptIds());
        mine.cancel();
        othersPartner.cancel();
        mineElsewhere.cancel();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (feed.watchers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, feed.watchers(), "cancelled watches are forgotten");
    }

    @Test
    void watchingOneFinishedAttemptShowsItsStateAndEnds() throws Exception {
        String door = UUID.randomUUID().toString();
        connectedLock(ORG, door);
        String token = partnerToken(PARTNER, ORG);
        ActionAttempt done = bearer(token).unlock(unlockOf(door));
        var stream = bearer(token).watchActionAttempts(WatchActionAttemptsRequest.newBuilder().setActionAttemptId(done.getId()).build());
        assertEquals(ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED, stream.next().getStatus());
        assertTrue(!stream.hasNext(), "the stream ends once the watched attempt is final");
    }

    /** A watch stream read into a queue. */
    private final class Watch {
        final BlockingQueue<ActionAttempt> received = new LinkedBlockingQueue<>();
        final List<ActionAttempt> seen = new ArrayList<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        volatile ClientCallStreamObserver<WatchActionAttemptsRequest> call;

        List<ActionAttemptStatus> statusesUntilFinal(String attemptId) throws InterruptedException {
            List<ActionAttemptStatus> statuses = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                ActionAttempt next = received.poll(250, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                seen.add(next);
                if (next.getId().equals(attemptId)) {
                    statuses.add(next.getStatus());
                    if (next.getStatus() == ActionAttemptStatus.ACTION_ATTEMPT_STATUS_SUCCEEDED) {
                        return statuses;
                    }
                }
            }
            throw new AssertionError("attempt " + attemptId + " did not end on the watch; saw " + statuses + " ended " + ended.getNow(null));
        }

        List<String> attemptIds() {
            received.drainTo(seen);
            return seen.stream().map(ActionAttempt::getId).distinct().toList();
        }

        void cancel() {
            call.cancel("done", null);
        }
    }

    private Watch watch(String token, WatchActionAttemptsRequest request) {
        Watch watch = new Watch();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        UnlockServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .watchActionAttempts(request, new ClientResponseObserver<WatchActionAttemptsRequest, ActionAttempt>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<WatchActionAttemptsRequest> requestStream) {
                        watch.call = requestStream;
                    }

                    @Override
                    public void onNext(ActionAttempt value) {
                        watch.received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        watch.ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        watch.ended.complete(Status.OK);
                    }
                });
        return watch;
    }

    static List<EventEnvelope> eventsFor(String attemptId, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<EventEnvelope> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("portcullis.unlock.v1"));
            long deadline = System.currentTimeMillis() + 20_000;
            while (events.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    if (attemptId.equals(record.key())) {
                        try {
                            events.add(EventEnvelope.parseFrom(record.value()));
                        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            throw new AssertionError("not an EventEnvelope", e);
                        }
                    }
                }
            }
        }
        assertEquals(expected, events.size(), "events for " + attemptId);
        return events;
    }
}
