package dev.portcullis.console.turnover;

import dev.portcullis.console.lock.LockCredentials;
import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A credential in a turnover: what it is, whose, where, its state and how long its revocation has waited. */
@TemplateData
public record CredentialRow(String id, String label, String type, String usage, String holderSubjectId, String doorId, String state,
        Long pendingSeconds) {

    public static CredentialRow of(JsonObject c) {
        return new CredentialRow(c.getString("id"), c.getString("label"), c.getString("type"), c.getString("usage"),
                c.getString("holderSubjectId"), c.getString("doorId"), c.getString("state"), c.getLong("pendingSeconds"));
    }

    public static List<CredentialRow> of(JsonArray array) {
        List<CredentialRow> rows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            rows.add(of(array.getJsonObject(i)));
        }
        return rows;
    }

    /** Still on the lock (or on its way): what a turnover revokes. */
    public boolean live() {
        return "active".equals(state) || "sync_pending".equals(state);
    }

    public boolean confirmed() {
        return "revoked".equals(state);
    }

    public String stateLabel() {
        return state == null ? "" : state.replace('_', ' ');
    }

    public String pendingAge() {
        return pendingSeconds == null ? "" : LockCredentials.age(pendingSeconds);
    }
}
