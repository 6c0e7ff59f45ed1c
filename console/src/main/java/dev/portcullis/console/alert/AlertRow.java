package dev.portcullis.console.alert;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** One alert as the alerts page shows it: open ones first, then newest first. */
@TemplateData
public record AlertRow(String id, String kind, String severity, String doorId, String doorName, String lockId, String subjectId,
        String detail, String raisedAt, long ageSeconds, String acknowledgedBy, String acknowledgedAt, String note) {

    public boolean open() {
        return acknowledgedBy == null;
    }

    /** How long ago it was raised: "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
    public String age() {
        long s = ageSeconds;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86400 + " d " + s % 86400 / 3600 + " h";
    }

    public String kindLabel() {
        return kind == null ? "" : kind.replace('_', ' ');
    }

    public static List<AlertRow> of(JsonArray alerts, Map<String, String> doorNames, Instant now) {
        List<AlertRow> rows = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            JsonObject a = alerts.getJsonObject(i);
            JsonObject ack = a.getJsonObject("acknowledgement");
            String raisedAt = a.getString("raisedAt");
            long age = raisedAt == null ? 0 : Math.max(0, Duration.between(Instant.parse(raisedAt), now).getSeconds());
            String door = a.getString("doorId");
            rows.add(new AlertRow(a.getString("id"), a.getString("kind"), a.getString("severity"), door,
                    door == null ? null : doorNames.get(door), a.getString("lockId"), a.getString("subjectId"), a.getString("detail"),
                    raisedAt, age, ack == null ? null : ack.getString("acknowledgedBy"), ack == null ? null : ack.getString("acknowledgedAt"),
                    ack == null ? null : ack.getString("note")));
        }
        rows.sort(Comparator.comparing((AlertRow row) -> !row.open()).thenComparingLong(AlertRow::ageSeconds));
        return rows;
    }
}
