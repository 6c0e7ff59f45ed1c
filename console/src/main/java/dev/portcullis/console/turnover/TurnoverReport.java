package dev.portcullis.console.turnover;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** device-registry's turnover report ({@code GET /turnovers/{id}}), as the report page shows it. */
@TemplateData
public record TurnoverReport(String id, String unitId, String requestedAt, String requestedBy, List<String> previousTenants,
        int confirmed, int pending, String oldestPending, List<CredentialRow> credentials, List<String> grantsRevoked,
        String grantsError, boolean complete) {

    public static TurnoverReport of(JsonObject report) {
        Long oldest = report.getLong("oldestPendingSeconds");
        return new TurnoverReport(report.getString("id"), report.getString("unitId"), report.getString("requestedAt"),
                report.getString("requestedBy"), strings(report.getJsonArray("previousTenantSubjectIds")),
                report.getInteger("credentialsConfirmed", 0), report.getInteger("credentialsPending", 0),
                oldest == null ? null : dev.portcullis.console.lock.LockCredentials.age(oldest),
                CredentialRow.of(report.getJsonArray("credentials", new JsonArray())), strings(report.getJsonArray("grantsRevoked")),
                report.getString("grantsError"), report.getBoolean("complete", false));
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(String.valueOf(value)));
        }
        return values;
    }
}
