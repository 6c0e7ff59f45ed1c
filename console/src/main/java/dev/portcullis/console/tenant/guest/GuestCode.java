package dev.portcullis.console.tenant.guest;

import dev.portcullis.console.tenant.Words;
import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One of the tenant's guest codes as device-registry's {@code /v1/me/guest-codes} gives it (never its PIN). */
@TemplateData
public record GuestCode(String id, String door, String guestName, String validFrom, String validUntil, String state,
        String stateLabel, boolean revocable, boolean pending) {

    public static GuestCode of(JsonObject code) {
        String state = code.getString("state", "");
        boolean expired = Boolean.TRUE.equals(code.getBoolean("expired"));
        String label = switch (state) {
            case "sync_pending" -> "being sent to the lock";
            case "active" -> expired ? "expired" : "on the lock";
            case "revoke_pending" -> "revoke pending: the lock has not confirmed yet";
            case "revoked" -> "revoked: the lock confirmed it";
            default -> state.replace('_', ' ');
        };
        return new GuestCode(code.getString("id"), code.getString("door"), code.getString("guestName"),
                Words.when(code.getString("validFrom")), Words.when(code.getString("validUntil")), state, label,
                state.equals("sync_pending") || state.equals("active"), state.endsWith("_pending"));
    }

    public static List<GuestCode> all(JsonArray codes) {
        List<GuestCode> list = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            list.add(of(codes.getJsonObject(i)));
        }
        return list;
    }
}
