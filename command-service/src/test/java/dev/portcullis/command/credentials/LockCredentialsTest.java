package dev.portcullis.command.credentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.command.support.Topics;
import dev.portcullis.lock.protocol.CredentialSet;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.command.v1.ApplyCredentialRequest;
import dev.portcullis.proto.command.v1.ApplyCredentialResponse;
import dev.portcullis.proto.command.v1.CredentialOperation;
import dev.portcullis.proto.command.v1.CredentialSyncOutcome;
import dev.portcullis.proto.command.v1.CommandRelayGrpc;
import dev.portcullis.proto.command.v1.LockCredentialsGrpc;
import dev.portcullis.proto.command.v1.RelayDispatchRequest;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** device-registry's credential changes reach the lock as signed commands; the answer is what the lock signed. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class LockCredentialsTest {

    private static final String ORG = UUID.randomUUID().toString();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private final List<TestLock> locks = new ArrayList<>();
    private ManagedChannel channel;
    private LockCredentialsGrpc.LockCredentialsBlockingStub registry;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        registry = LockCredentialsGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() {
        locks.forEach(TestLock::close);
        locks.clear();
        channel.shutdownNow();
    }

    private TestLock connectedLockOn(String door) {
        TestLock lock = new TestLock();
        PeerServices.enroll(ORG, door, lock);
        lock.connect(port);
        locks.add(lock);
        return lock;
    }

    private ApplyCredentialResponse apply(String door, String syncId, CredentialOperation operation, byte[] credential) {
        return registry.apply(ApplyCredentialRequest.newBuilder()
                .setOrganizationId(ORG)
                .setDoorId(door)
                .setSyncId(syncId)
                .setOperation(operation)
                .setCredential(ByteString.copyFrom(credential))
                .build());
    }

    @Test
    void aPinIsPutOnTheLockAndRemovedAgainEachConfirmedByTheLocksDigest() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLockOn(door);
        CredentialSpec pin = CredentialSpec.pin(UUID.randomUUID(), "731904");

        ApplyCredentialResponse put = apply(door, UUID.randomUUID().toString(), CredentialOperation.CREDENTIAL_OPERATION_PUT, pin.serialize());
        assertEquals(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_APPLIED, put.getOutcome(), put.toString());
        assertArrayEquals(CredentialSet.digestOf(List.of(pin)), put.getCredentialSetDigest().toByteArray(),
                "the lock signed for exactly the credential the registry wanted");
        assertTrue(lock.credentials().find(pin.id()).isPresent());
        assertEquals(0, lock.actuations(), "a credential change opens nothing");

        ApplyCredentialResponse removed = apply(door, UUID.randomUUID().toString(), CredentialOperation.CREDENTIAL_OPERATION_REMOVE,
                CredentialSpec.removal(pin.id()).serialize());
        assertEquals(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_APPLIED, removed.getOutcome());
        assertArrayEquals(CredentialSet.digestOf(List.of()), removed.getCredentialSetDigest().toByteArray());
        assertEquals(0, lock.credentials().size());

        // The PIN never appears in what command-service publishes.
        for (EventEnvelope event : Topics.eventsFor("portcullis.unlock.v1", put.getActionAttemptId(), 4)) {
            assertFalse(new String(event.toByteArray(), StandardCharsets.ISO_8859_1).contains("731904"), event.getPayloadCase().name());
        }
    }

    @Test
    void aLocksCredentialInventoryIsPublishedForReconciliationWithIdsOnly() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLockOn(door);
        CredentialSpec pin = CredentialSpec.pin(UUID.randomUUID(), "731905");
        lock.credentials().put(pin);
        lock.reportInventory();
        List<EventEnvelope> reported = Topics.eventsFor("portcullis.lock.v1", lock.lockId(), 2).stream()
                .filter(EventEnvelope::hasLockCredentialsReported).toList();
        assertEquals(1, reported.size(), reported.toString());
        EventEnvelope event = reported.get(0);
        assertEquals(ORG, event.getOrganizationId());
        assertEquals(door, event.getLockCredentialsReported().getDoorId());
        assertEquals(List.of(pin.id().toString()), event.getLockCredentialsReported().getCredentialIdsList());
        assertArrayEquals(CredentialSet.digestOf(List.of(pin)), event.getLockCredentialsReported().getCredentialSetDigest().toByteArray());
        assertFalse(new String(event.toByteArray(), StandardCharsets.ISO_8859_1).contains("731905"));
    }

    @Test
    void aRelayCallCannotSwapTheCredentialTheRegistryAuthorized() throws Exception {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLockOn(door);
        CredentialSpec genuine = CredentialSpec.pin(UUID.randomUUID(), "864209");
        CredentialSpec forged = CredentialSpec.pin(genuine.id(), "000000");
        PeerServices.RESOLVE_DELAY.put(door, java.time.Duration.ofMillis(1500));
        try {
            java.util.concurrent.CompletableFuture<ApplyCredentialResponse> applied = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> apply(door, UUID.randomUUID().toString(), CredentialOperation.CREDENTIAL_OPERATION_PUT, genuine.serialize()));
            // While the registry look-up holds the attempt authorized and unsent, someone inside the network
            // asks a replica to dispatch it with another credential.
            String attemptId = awaitAuthorizedAttempt(door, java.time.Duration.ofMillis(1200));
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> CommandRelayGrpc.newBlockingStub(channel)
                    .dispatch(RelayDispatchRequest.newBuilder().setActionAttemptId(attemptId).setLockId(lock.lockId())
                            .setCredential(ByteString.copyFrom(forged.serialize())).build()));
            assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());

            ApplyCredentialResponse response = applied.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_APPLIED, response.getOutcome());
            assertArrayEquals(CredentialSet.digestOf(List.of(genuine)), response.getCredentialSetDigest().toByteArray());
            assertEquals(1, lock.received().size(), "only the genuine command reached the lock");
        } finally {
            PeerServices.RESOLVE_DELAY.remove(door);
        }
    }

    /** The registry's attempt for the door, once it is authorized and not yet sent (read from the database). */
    private String awaitAuthorizedAttempt(String door, java.time.Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            var rows = pool.preparedQuery("select id from action_attempt where door_id = $1 and status = 'AUTHORIZED'")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(door))).await().atMost(java.time.Duration.ofSeconds(5));
            if (rows.size() == 1) {
                return rows.iterator().next().getUUID("id").toString();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no authorized attempt for door " + door);
    }

    @Test
    void aRetryOfOneSyncIdSendsOneCommand() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLockOn(door);
        CredentialSpec pin = CredentialSpec.pin(UUID.randomUUID(), "2468");
        String syncId = UUID.randomUUID().toString();

        ApplyCredentialResponse first = apply(door, syncId, CredentialOperation.CREDENTIAL_OPERATION_PUT, pin.serialize());
        ApplyCredentialResponse retry = apply(door, syncId, CredentialOperation.CREDENTIAL_OPERATION_PUT, pin.serialize());
        assertEquals(first.getActionAttemptId(), retry.getActionAttemptId());
        assertEquals(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_APPLIED, retry.getOutcome());
        assertEquals(first.getCredentialSetDigest(), retry.getCredentialSetDigest());
        assertEquals(1, lock.received().size(), "one command for one sync id");
    }

    @Test
    void anOfflineLockIsNotDeliveredAndNothingIsQueued() {
        String door = UUID.randomUUID().toString();
        TestLock offline = new TestLock();
        PeerServices.enroll(ORG, door, offline);

        ApplyCredentialResponse response = apply(door, UUID.randomUUID().toString(), CredentialOperation.CREDENTIAL_OPERATION_REMOVE,
                CredentialSpec.removal(UUID.randomUUID()).serialize());
        assertEquals(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_NOT_DELIVERED, response.getOutcome());
        assertEquals("LOCK_OFFLINE", response.getReason());
        offline.connect(port);
        locks.add(offline);
        assertEquals(0, offline.received().size(), "the registry re-sends when the lock is back; nothing was queued here");
    }

    @Test
    void anInvalidRequestIsRefusedWithoutEchoingTheCredential() {
        String door = UUID.randomUUID().toString();
        byte[] badPin = CredentialSpec.pin(UUID.randomUUID(), "5555").serialize();
        badPin[badPin.length - 1] = 'x'; // a PIN digit becomes a letter
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> apply(door, UUID.randomUUID().toString(), CredentialOperation.CREDENTIAL_OPERATION_PUT, badPin));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertFalse(refused.getStatus().getDescription().contains("555"));
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> apply(door, "short", CredentialOperation.CREDENTIAL_OPERATION_PUT, badPin)).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> apply(door, UUID.randomUUID().toString(), CredentialOperation.CREDENTIAL_OPERATION_UNSPECIFIED, badPin))
                .getStatus().getCode());
    }
}
