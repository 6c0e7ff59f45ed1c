package dev.portcullis.console.audit;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Audit entries as the feed and the search show them, with door names from the registry where known. */
public final class AuditRows {

    private AuditRows() {
    }

    @TemplateData
    public record Row(long sequence, String occurredAt, String type, String actorType, String actorId, String doorId, String doorName,
            String lockId, String outcome, String reasons, String credentialId, String method) {

        /** The event type as words ("unlock decided"). */
        public String typeLabel() {
            return type == null ? "" : type.replace('_', ' ');
        }

        public boolean denied() {
            return "denied".equals(outcome) || "duress".equals(outcome) || "tamper".equals(outcome);
        }
    }

    /** The rows of a {@code GET /v1/audit} page; {@code doorNames} by door id. */
    public static List<Row> of(JsonObject page, Map<String, String> doorNames) {
        JsonArray entries = page.getJsonArray("entries", new JsonArray());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            JsonObject actor = e.getJsonObject("actor");
            JsonArray reasons = e.getJsonArray("reasons");
            String door = e.getString("doorId");
            rows.add(new Row(e.getLong("sequence", 0L), e.getString("occurredAt"), e.getString("type"),
                    actor == null ? null : actor.getString("type"), actor == null ? null : actor.getString("id"), door,
                    door == null ? null : doorNames.get(door), e.getString("lockId"), e.getString("outcome"),
                    reasons == null || reasons.isEmpty() ? null : String.join(", ", reasons.getList()),
                    e.getString("credentialId"), e.getString("method")));
        }
        return rows;
    }

    /** Door id → name, from the registry's {@code GET /doors}. */
    public static Map<String, String> doorNames(JsonArray doors) {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        for (int i = 0; i < doors.size(); i++) {
            JsonObject door = doors.getJsonObject(i);
            names.put(door.getString("id"), door.getString("name"));
        }
        return names;
    }

    /** The doors sorted by name, for a filter's choices. */
    @TemplateData
    public record DoorChoice(String id, String name, boolean selected) {
    }

    public static List<DoorChoice> choices(Map<String, String> names, String selected) {
        return names.entrySet().stream()
                .sorted(Map.Entry.comparingByValue(String.CASE_INSENSITIVE_ORDER))
                .map(entry -> new DoorChoice(entry.getKey(), entry.getValue(), entry.getKey().equals(selected)))
                .toList();
    }
}
