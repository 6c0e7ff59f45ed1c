package dev.portcullis.registry.credential;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.CredentialSet;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.command.v1.ApplyCredentialRequest;
import dev.portcullis.proto.command.v1.ApplyCredentialResponse;
import dev.portcullis.proto.command.v1.CredentialOperation;
import dev.portcullis.proto.command.v1.CredentialSyncOutcome;
import dev.portcullis.proto.command.v1.LockCredentials;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for command-service and the locks behind it in this module's tests (the real path, with
 * sealed commands and the simulator, runs in the e2e module): each door's lock holds a real lock-protocol
 * {@link CredentialSet}, answers APPLIED with its real digest while online and NOT_DELIVERED while
 * offline, and a repeated sync id gets the first answer (as command-service does).
 */
@GrpcService
public class TestLockGateway implements LockCredentials {

    public static final class Lock {
        public final CredentialSet credentials = new CredentialSet();
        public volatile boolean online = true;
        public final List<String> syncIds = new CopyOnWriteArrayList<>();
        final Map<String, ApplyCredentialResponse> answers = new ConcurrentHashMap<>();
    }

    private static final Map<UUID, Lock> LOCKS = new ConcurrentHashMap<>();

    public static Lock on(UUID door) {
        return LOCKS.computeIfAbsent(door, ignored -> new Lock());
    }

    /** Another physical lock is fitted on the door (replacement, or a lock moved here from elsewhere). */
    public static Lock fit(UUID door, Lock lock) {
        LOCKS.put(door, lock);
        return lock;
    }

    @Override
    public Uni<ApplyCredentialResponse> apply(ApplyCredentialRequest request) {
        Lock lock = on(UUID.fromString(request.getDoorId()));
        ApplyCredentialResponse earlier = lock.answers.get(request.getSyncId());
        if (earlier != null) {
            return Uni.createFrom().item(earlier);
        }
        lock.syncIds.add(request.getSyncId());
        ApplyCredentialResponse answer;
        if (!lock.online) {
            answer = ApplyCredentialResponse.newBuilder().setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_NOT_DELIVERED)
                    .setReason("LOCK_OFFLINE").build();
        } else {
            byte[] bytes = request.getCredential().toByteArray();
            if (request.getOperation() == CredentialOperation.CREDENTIAL_OPERATION_PUT) {
                lock.credentials.put(CredentialSpec.parse(bytes));
            } else {
                lock.credentials.remove(CredentialSpec.idOf(bytes));
            }
            answer = ApplyCredentialResponse.newBuilder().setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_APPLIED)
                    .setCredentialSetDigest(ByteString.copyFrom(lock.credentials.digest()))
                    .setActionAttemptId(UUID.randomUUID().toString()).build();
        }
        lock.answers.put(request.getSyncId(), answer);
        return Uni.createFrom().item(answer);
    }
}
