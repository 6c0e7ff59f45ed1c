package dev.portcullis.command.partner;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BooleanSupplier;

/**
 * Makes the call available to the service, so a stream can ask whether the transport takes more messages
 * ({@link ServerCall#isReady()}) before it queues yet another one.
 */
@ApplicationScoped
public class CallReadiness implements ServerInterceptor {

    private static final Context.Key<ServerCall<?, ?>> CALL = Context.key("portcullis-server-call");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(CALL, call), call, headers, next);
    }

    /** Whether the current call's transport takes another message now; call from within a service method. */
    static BooleanSupplier ofCurrentCall() {
        ServerCall<?, ?> call = CALL.get();
        if (call == null) {
            throw new IllegalStateException("no gRPC call in context: is CallReadiness registered on the service?");
        }
        return call::isReady;
    }
}
