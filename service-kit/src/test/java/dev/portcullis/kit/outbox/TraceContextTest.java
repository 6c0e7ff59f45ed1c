package dev.portcullis.kit.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

/** The trace context an outbox row carries from the writing request to the relay's publish. */
class TraceContextTest {

    private final Tracer tracer = SdkTracerProvider.builder().build().get("outbox-test");

    @Test
    void aRowWrittenInsideASpanIsPublishedAsThatSpansChild() {
        Span request = tracer.spanBuilder("POST /v1/doors/{door}/unlock").startSpan();
        OutboxEvent row = new OutboxEvent();
        try (Scope ignored = request.makeCurrent()) {
            TraceContext.capture(row);
        } finally {
            request.end();
        }
        SpanContext written = request.getSpanContext();
        assertEquals("00-" + written.getTraceId() + "-" + written.getSpanId() + "-01", row.traceparent);
        assertNull(row.tracestate, "no tracestate came with the request");

        // The relay runs later, on another thread, with no span current: the row alone names the parent.
        SpanContext parent = Span.fromContext(TraceContext.restore(row).orElseThrow()).getSpanContext();
        assertEquals(written.getTraceId(), parent.getTraceId());
        assertEquals(written.getSpanId(), parent.getSpanId());
        assertTrue(parent.isSampled());
        Span publish = tracer.spanBuilder("portcullis.unlock.v1 publish").setParent(TraceContext.restore(row).orElseThrow()).startSpan();
        assertEquals(written.getTraceId(), publish.getSpanContext().getTraceId(), "the publish joins the request's trace");
        publish.end();
    }

    @Test
    void aCallersTracestateTravelsWithTheRow() {
        SpanContext caller = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.builder().put("vendor", "opaque").build());
        Span request = tracer.spanBuilder("Authorize").setParent(Context.root().with(Span.wrap(caller))).startSpan();
        OutboxEvent row = new OutboxEvent();
        try (Scope ignored = request.makeCurrent()) {
            TraceContext.capture(row);
        } finally {
            request.end();
        }
        assertEquals("vendor=opaque", row.tracestate);
        SpanContext parent = Span.fromContext(TraceContext.restore(row).orElseThrow()).getSpanContext();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", parent.getTraceId());
        assertEquals("opaque", parent.getTraceState().get("vendor"));
    }

    @Test
    void withoutASpanNothingIsKeptAndThePublishStartsItsOwnTrace() {
        OutboxEvent row = new OutboxEvent();
        TraceContext.capture(row);
        assertNull(row.traceparent);
        assertNull(row.tracestate);
        assertTrue(TraceContext.restore(row).isEmpty());
    }

    @Test
    void aMalformedTraceparentIsIgnored() {
        OutboxEvent row = new OutboxEvent();
        row.traceparent = "00-not-a-trace-01";
        assertTrue(TraceContext.restore(row).isEmpty());
    }
}
