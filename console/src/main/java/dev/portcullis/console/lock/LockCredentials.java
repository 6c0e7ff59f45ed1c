package dev.portcullis.console.lock;

import dev.portcullis.console.portfolio.Portfolio.LockHealth;
import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One lock's page: its health and its credentials as the registry's inventory gives them. */
@TemplateData
public record LockCredentials(LockHealth lock, List<Row> live, List<Row> pendingIssues, List<Row> pendingRevocations,
        List<Drift> drift) {

    /** A credential; {@code pendingSeconds} is how long its change has waited for the lock (null when none waits). */
    @TemplateData
    public record Row(String id, String label, String type, String usage, String holderSubjectId, String state,
            Long pendingSeconds, String validUntil, String revokeReason) {

        public boolean revokePending() {
            return "revoke_pending".equals(state);
        }

        /** The state as words ("sync pending"). */
        public String stateLabel() {
            return state == null ? "" : state.replace('_', ' ');
        }

        /** The wait as an operator reads it: "42 s", "5 min", "3 h 10 min", "2 d 4 h". */
        public String pendingAge() {
            return pendingSeconds == null ? "" : age(pendingSeconds);
        }
    }

    @TemplateData
    public record Drift(String credentialId, String kind, String detectedAt) {
    }

    public static LockCredentials of(JsonObject lock, JsonObject inventory) {
        JsonArray drift = inventory.getJsonArray("drift", new JsonArray());
        List<Drift> findings = new ArrayList<>();
        for (int i = 0; i < drift.size(); i++) {
            JsonObject d = drift.getJsonObject(i);
            findings.add(new Drift(d.getString("credentialId"), d.getString("kind"), d.getString("detectedAt")));
        }
        return new LockCredentials(LockHealth.of(lock), rows(inventory, "live"), rows(inventory, "pendingIssues"),
                rows(inventory, "pendingRevocations"), findings);
    }

    private static List<Row> rows(JsonObject inventory, String key) {
        JsonArray list = inventory.getJsonArray(key, new JsonArray());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject c = list.getJsonObject(i);
            rows.add(new Row(c.getString("id"), c.getString("label"), c.getString("type"), c.getString("usage"),
                    c.getString("holderSubjectId"), c.getString("state"), c.getLong("pendingSeconds"), c.getString("validUntil"),
                    c.getString("revokeReason")));
        }
        return rows;
    }

    public static String age(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86400 + " d " + seconds % 86400 / 3600 + " h";
    }
}
