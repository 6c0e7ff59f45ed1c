package dev.portcullis.kit.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The W3C trace context (traceparent, tracestate) an outbox row carries from the transaction that wrote
 * it to the relay that publishes it, through the standard propagator. Nothing is captured when there is no
 * current span (tracing off).
 */
public final class TraceContext {

    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";

    private static final TextMapGetter<OutboxEvent> ROW = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(OutboxEvent row) {
            return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(OutboxEvent row, String key) {
            if (row == null) {
                return null;
            }
            return switch (key) {
                case TRACEPARENT -> row.traceparent;
                case TRACESTATE -> row.tracestate;
                default -> null;
            };
        }
    };

    private TraceContext() {
    }

    /** Stores the current span's context on the row. */
    static void capture(OutboxEvent row) {
        Map<String, String> carrier = current();
        row.traceparent = carrier.get(TRACEPARENT);
        row.tracestate = carrier.get(TRACESTATE);
    }

    /**
     * The current span's W3C context ({@code traceparent}, and {@code tracestate} when set); empty when
     * there is no span. For services that write outbox rows with plain SQL: store both in the row's
     * {@code traceparent} and {@code tracestate} columns.
     */
    public static Map<String, String> current() {
        Context current = Context.current();
        Map<String, String> carrier = new HashMap<>(2);
        if (Span.fromContext(current).getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(current, carrier, Map::put);
        }
        return carrier;
    }

    /** The context the row was written in, as the parent of its publish span; empty when it has none. */
    static Optional<Context> restore(OutboxEvent row) {
        if (row.traceparent == null) {
            return Optional.empty();
        }
        Context context = W3CTraceContextPropagator.getInstance().extract(Context.root(), row, ROW);
        return Span.fromContext(context).getSpanContext().isValid() ? Optional.of(context) : Optional.empty();
    }
}
