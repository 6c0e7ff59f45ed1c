package dev.portcullis.command.routing;

import com.google.protobuf.ByteString;
import dev.portcullis.command.CommandConfig;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.command.v1.MutinyCommandRelayGrpc;
import dev.portcullis.proto.command.v1.RelayDispatchRequest;
import dev.portcullis.proto.command.v1.RelayDispatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Asks the replica that holds a lock's stream to dispatch an authorized attempt (CommandRelay.Dispatch). */
@ApplicationScoped
public class RelayClient {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    @Inject
    CommandConfig config;

    public Uni<RelayDispatchResponse> dispatch(LockRoutes.Route route, UUID attemptId, UUID lockId, CredentialSpec credential) {
        // Long enough for the holder to look the door up, send, and wait out the command's life.
        Duration deadline = config.registryDeadline().plus(config.commandLifetime()).plus(config.acknowledgementGrace())
                .plusSeconds(1);
        ManagedChannel channel = channels.computeIfAbsent(route.address(),
                address -> ManagedChannelBuilder.forTarget(address).usePlaintext().build());
        return MutinyCommandRelayGrpc.newMutinyStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .dispatch(RelayDispatchRequest.newBuilder()
                        .setActionAttemptId(attemptId.toString())
                        .setLockId(lockId.toString())
                        .setCredential(credential == null ? ByteString.EMPTY : ByteString.copyFrom(credential.serialize()))
                        .build())
                .onFailure().invoke(failure -> {
                    if (Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE) {
                        // a replica that is gone: its address will not come back
                        forget(route.address(), channel);
                    }
                });
    }

    private void forget(String address, ManagedChannel channel) {
        if (channels.remove(address, channel)) {
            channel.shutdownNow();
        }
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
