package dev.portcullis.command.partner;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a streaming call needs of its transport: whether it takes another message now
 * ({@link ServerCall#isReady()}), and a signal when the client has gone. The Vert.x gRPC bridge reports a
 * client's cancel only while the request is still open, so a server stream (request already half-closed)
 * would never hear of it: the HTTP exchange's end (the stream reset or the connection closed) is watched too.
 */
@ApplicationScoped
public class CallTransport implements ServerInterceptor {

    private static final Context.Key<Transport> TRANSPORT = Context.key("portcullis-call-transport");

    /** One call's transport. */
    public static final class Transport {
        private final ServerCall<?, ?> call;
        private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        Transport(ServerCall<?, ?> call) {
            this.call = call;
        }

        public boolean isReady() {
            return !closed && call.isReady();
        }

        /** Runs {@code action} once the call is cancelled or its HTTP stream ends (at once if it has). */
        public void onClose(Runnable action) {
            onClose.add(action);
            if (closed) {
                close();
            }
        }

        void close() {
            closed = true;
            onClose.forEach(Runnable::run);
            onClose.clear();
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Transport transport = new Transport(call);
        io.vertx.core.Context vertx = Vertx.currentContext();
        RoutingContext exchange = vertx == null ? null : vertx.getLocal(RoutingContext.class.getName());
        if (exchange != null) {
            exchange.addEndHandler(ended -> transport.close());
        }
        ServerCall.Listener<Q> listener = Contexts.interceptCall(Context.current().withValue(TRANSPORT, transport), call, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                transport.close();
                super.onCancel();
            }
        };
    }

    /** The current call's transport; call from within a service method of a service with this interceptor. */
    static Transport current() {
        Transport transport = TRANSPORT.get();
        if (transport == null) {
            throw new IllegalStateException("no gRPC call in context: is CallTransport registered on the service?");
        }
        return transport;
    }
}
