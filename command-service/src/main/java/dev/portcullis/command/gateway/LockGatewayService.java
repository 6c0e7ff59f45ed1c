package dev.portcullis.command.gateway;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.peers.RegistryClient;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import dev.portcullis.proto.gateway.v1.LockGateway;
import dev.portcullis.proto.gateway.v1.LockMessage;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/** The stream every lock (or hub) keeps open. Each stream is one {@link GatewayConnection}. */
@GrpcService
public class LockGatewayService implements LockGateway {

    @Inject
    LockSessions sessions;

    @Inject
    RegistryClient registry;

    @Inject
    LockEventPublisher events;

    @Inject
    LockClocks clocks;

    @Inject
    CommandConfig config;

    @Inject
    Vertx vertx;

    @Override
    public Multi<GatewayMessage> connect(Multi<LockMessage> incoming) {
        return new GatewayConnection(sessions, registry, events, clocks, config.gateway(), vertx).run(incoming);
    }
}
