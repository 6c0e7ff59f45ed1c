package dev.portcullis.console.audit;

import dev.portcullis.console.ConsoleConfig;
import dev.portcullis.console.operator.SignedInOperator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** audit-service's API ({@code /v1/audit}, {@code /v1/alerts}) with the operator's own token. */
@ApplicationScoped
public class AuditClient {

    static final String SERVICE = "audit-service";

    @Inject
    ServiceCall call;

    @Inject
    ConsoleConfig config;

    /** {@code GET /v1/audit}: the organization's entries, newest first, with these filters. */
    public Uni<JsonObject> entries(SignedInOperator operator, Map<String, String> filters) {
        return call.get(operator, SERVICE, config.auditUrl(), "/v1/audit", filters, "application/json").map(HttpResponse::bodyAsJsonObject);
    }

    /** {@code GET /v1/alerts}: newest first. */
    public Uni<JsonArray> alerts(SignedInOperator operator, int limit) {
        return call.get(operator, SERVICE, config.auditUrl(), "/v1/alerts", Map.of("limit", String.valueOf(limit)), "application/json")
                .map(HttpResponse::bodyAsJsonArray);
    }

    /** {@code POST /v1/alerts/{id}/acknowledgement}. */
    public Uni<JsonObject> acknowledge(SignedInOperator operator, String alertId, String note) {
        JsonObject body = new JsonObject();
        if (note != null && !note.isBlank()) {
            body.put("note", note);
        }
        return call.post(operator, SERVICE, config.auditUrl(), "/v1/alerts/" + alertId + "/acknowledgement", body)
                .map(HttpResponse::bodyAsJsonObject);
    }

    /** {@code GET /v1/audit/export?format=jsonl}: the JSON Lines text (first line the signed tree head). */
    public Uni<String> export(SignedInOperator operator, Map<String, String> filters) {
        Map<String, String> query = new LinkedHashMap<>(filters);
        query.put("format", "jsonl");
        return call.get(operator, SERVICE, config.auditUrl(), "/v1/audit/export", query, "*/*")
                .map(HttpResponse::bodyAsString);
    }

    /** {@code GET /v1/audit/tree-heads/latest}. */
    public Uni<JsonObject> latestTreeHead(SignedInOperator operator) {
        return call.get(operator, SERVICE, config.auditUrl(), "/v1/audit/tree-heads/latest", Map.of(), "application/json")
                .map(HttpResponse::bodyAsJsonObject);
    }

    /** {@code GET /v1/audit/proofs/consistency?first=&second=}. */
    public Uni<JsonObject> consistency(SignedInOperator operator, long first, long second) {
        return call.get(operator, SERVICE, config.auditUrl(), "/v1/audit/proofs/consistency",
                Map.of("first", String.valueOf(first), "second", String.valueOf(second)), "application/json")
                .map(HttpResponse::bodyAsJsonObject);
    }

    /** {@code GET /v1/audit/tree-heads/key}: the key as audit-service publishes it (PEM). */
    public Uni<String> publishedKey(SignedInOperator operator) {
        return call.get(operator, SERVICE, config.auditUrl(), "/v1/audit/tree-heads/key", Map.of(), "application/json")
                .map(HttpResponse::bodyAsJsonObject).map(key -> key.getString("publicKey"));
    }
}
