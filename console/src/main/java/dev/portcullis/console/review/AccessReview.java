package dev.portcullis.console.review;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** policy-service's answer to "who can open this door, when" as the page shows it. */
@TemplateData
public record AccessReview(String doorId, String door, String zone, String from, String to, List<Subject> subjects) {

    @TemplateData
    public record Subject(String subjectId, List<String> intervals, List<String> grants, boolean emergencyRole, boolean blockedByLockdown) {
    }

    public static AccessReview of(JsonObject review) {
        JsonArray subjects = review.getJsonArray("subjects", new JsonArray());
        List<Subject> rows = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            JsonObject s = subjects.getJsonObject(i);
            List<String> intervals = new ArrayList<>();
            JsonArray list = s.getJsonArray("intervals", new JsonArray());
            for (int j = 0; j < list.size(); j++) {
                JsonObject interval = list.getJsonObject(j);
                intervals.add(interval.getString("start") + " – " + interval.getString("end"));
            }
            List<String> grants = new ArrayList<>();
            JsonArray grantList = s.getJsonArray("grants", new JsonArray());
            for (int j = 0; j < grantList.size(); j++) {
                JsonObject grant = grantList.getJsonObject(j);
                String via = grant.getString("via");
                String schedule = grant.getString("schedule");
                grants.add((via == null ? "" : via + ": ") + (grant.getString("target") == null ? "" : grant.getString("target"))
                        + (schedule == null ? "" : " (" + schedule + ")"));
            }
            rows.add(new Subject(s.getString("subjectId"), intervals, grants, Boolean.TRUE.equals(s.getBoolean("emergencyRole")),
                    Boolean.TRUE.equals(s.getBoolean("blockedByLockdown"))));
        }
        return new AccessReview(review.getString("doorId"), review.getString("door"), review.getString("zone"), review.getString("from"),
                review.getString("to"), rows);
    }
}
