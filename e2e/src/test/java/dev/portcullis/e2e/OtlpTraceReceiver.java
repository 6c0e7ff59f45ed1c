package dev.portcullis.e2e;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An in-memory span exporter across processes: an OTLP/HTTP (protobuf) trace receiver on loopback that
 * keeps every span the services export. It reads only the fields of {@code ExportTraceServiceRequest}
 * (opentelemetry-proto, trace/v1) the trace assertions need; every other field is skipped by wire type.
 */
final class OtlpTraceReceiver implements AutoCloseable {

    /** OTLP span kinds (trace.proto {@code Span.SpanKind}). */
    static final int SERVER = 2;
    static final int CLIENT = 3;
    static final int PRODUCER = 4;
    static final int CONSUMER = 5;

    /** One exported span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
    record CollectedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<CollectedSpan> spans = new ConcurrentLinkedQueue<>();

    OtlpTraceReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where the services' OTLP/HTTP trace exporter sends its batches. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    List<CollectedSpan> spans() {
        return List.copyOf(spans);
    }

    List<CollectedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            try {
                spans.addAll(exportRequest(CodedInputStream.newInstance(body.readAllBytes())));
            } catch (IOException malformed) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; } */
    private static List<CollectedSpan> exportRequest(CodedInputStream in) throws IOException {
        List<CollectedSpan> out = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                resourceSpans(in.readBytes().newCodedInput(), out);
            } else {
                in.skipField(tag);
            }
        }
        return out;
    }

    /** ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; } */
    private static void resourceSpans(CodedInputStream in, List<CollectedSpan> out) throws IOException {
        Map<String, String> resource = Map.of();
        List<CodedInputStream> scopes = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> resource = attributes(in.readBytes().newCodedInput(), 1);
                case 2 -> scopes.add(in.readBytes().newCodedInput());
                default -> in.skipField(tag);
            }
        }
        String service = resource.getOrDefault("service.name", "");
        for (CodedInputStream scope : scopes) {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            for (int tag = scope.readTag(); tag != 0; tag = scope.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 2) {
                    out.add(span(service, scope.readBytes().newCodedInput()));
                } else {
                    scope.skipField(tag);
                }
            }
        }
    }

    /**
     * Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
     * SpanKind kind = 6; repeated KeyValue attributes = 9; }
     */
    private static CollectedSpan span(String service, CodedInputStream in) throws IOException {
        HexFormat hex = HexFormat.of();
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, String> attributes = new HashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> traceId = hex.formatHex(in.readByteArray());
                case 2 -> spanId = hex.formatHex(in.readByteArray());
                case 4 -> parent = hex.formatHex(in.readByteArray());
                case 5 -> name = in.readString();
                case 6 -> kind = in.readEnum();
                case 9 -> attributes.putAll(keyValue(in.readBytes().newCodedInput()));
                default -> in.skipField(tag);
            }
        }
        return new CollectedSpan(service, traceId, spanId, parent, name, kind, Map.copyOf(attributes));
    }

    /** The string-valued KeyValues (field {@code field}) of a message such as Resource { repeated KeyValue attributes = 1; }. */
    private static Map<String, String> attributes(CodedInputStream in, int field) throws IOException {
        Map<String, String> attributes = new HashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field) {
                attributes.putAll(keyValue(in.readBytes().newCodedInput()));
            } else {
                in.skipField(tag);
            }
        }
        return attributes;
    }

    /** KeyValue { string key = 1; AnyValue value = 2; } with AnyValue { string string_value = 1; ... }; non-strings are left out. */
    private static Map<String, String> keyValue(CodedInputStream in) throws IOException {
        String key = null;
        String value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = in.readString();
                case 2 -> value = stringValue(in.readBytes().newCodedInput());
                default -> in.skipField(tag);
            }
        }
        return key == null || value == null ? Map.of() : Map.of(key, value);
    }

    private static String stringValue(CodedInputStream in) throws IOException {
        String value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                value = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return value;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
