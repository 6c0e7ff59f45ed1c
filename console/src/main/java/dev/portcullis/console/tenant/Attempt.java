package dev.portcullis.console.tenant;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An unlock as its tenant follows it (command-service's action attempt): where it stands on the way to the lock's
 * acknowledgement, and, when it did not open, why, in words.
 */
@TemplateData
public record Attempt(String id, String doorId, String door, String status, String headline, String detail, List<String> reasons,
        boolean done, boolean sent, boolean opened) {

    public static Attempt of(JsonObject attempt, String doorName) {
        String status = attempt.getString("status", "");
        JsonArray codes = attempt.getJsonArray("reasons", new JsonArray());
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            reasons.add(Words.reason(codes.getString(i)));
        }
        JsonObject approval = attempt.getJsonObject("approval");
        String headline;
        String detail;
        switch (status) {
            case "succeeded" -> {
                headline = "Unlocked";
                detail = "The lock confirmed it opened.";
            }
            case "denied" -> {
                headline = "Not allowed";
                detail = "The door was not opened.";
            }
            case "failed" -> {
                headline = "Did not open";
                detail = "The lock did not open.";
            }
            case "expired" -> {
                headline = "Expired";
                detail = "It was not carried out in time and never will be.";
            }
            case "pending_approval" -> {
                headline = "Waiting for approval";
                detail = "A " + (approval == null ? "second person" : approval.getString("eligibleRole", "second person").replace('_', ' '))
                        + " must approve" + (approval == null || approval.getString("expiresAt") == null ? ""
                                : " before " + Words.when(approval.getString("expiresAt"))) + ".";
            }
            case "dispatched" -> {
                headline = "Opening…";
                detail = "The command reached the lock; waiting for its confirmation.";
            }
            default -> {
                headline = "Opening…";
                detail = "Checking your access.";
            }
        }
        boolean done = List.of("succeeded", "denied", "failed", "expired").contains(status);
        // a command was sealed for the lock (command-service names it) or the lock already answered
        boolean sent = attempt.getString("commandId") != null || "dispatched".equals(status) || "succeeded".equals(status);
        return new Attempt(attempt.getString("id"), attempt.getString("doorId"), doorName, status, headline, detail, reasons, done,
                sent, "succeeded".equals(status));
    }
}
