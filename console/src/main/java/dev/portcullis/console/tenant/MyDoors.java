package dev.portcullis.console.tenant;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The doors a tenant can open now and when the others open, from policy-service's {@code /v1/me/doors}. */
@TemplateData
public record MyDoors(List<Door> openNow, List<Door> later) {

    /**
     * One door; {@code unlockKey} is the Idempotency-Key its unlock form carries, so sending the same form twice is one
     * unlock (command-service returns the same attempt).
     */
    @TemplateData
    public record Door(String id, String name, boolean openNow, String nextOpening, List<String> notes, String unlockKey) {
    }

    public static MyDoors of(JsonObject answer) {
        JsonArray doors = answer.getJsonArray("doors", new JsonArray());
        List<Door> now = new ArrayList<>();
        List<Door> later = new ArrayList<>();
        for (int i = 0; i < doors.size(); i++) {
            JsonObject door = doors.getJsonObject(i);
            JsonArray notes = door.getJsonArray("notes", new JsonArray());
            List<String> words = new ArrayList<>();
            for (int n = 0; n < notes.size(); n++) {
                words.add(Words.note(notes.getString(n)));
            }
            String name = door.getString("door");
            Door row = new Door(door.getString("doorId"), name == null ? "Door " + door.getString("doorId") : name,
                    Boolean.TRUE.equals(door.getBoolean("openNow")), Words.when(door.getString("nextOpening")), words,
                    UUID.randomUUID().toString());
            (row.openNow() ? now : later).add(row);
        }
        return new MyDoors(now, later);
    }

    /** The name policy knows for a door, or null. */
    public static String nameOf(JsonObject answer, String doorId) {
        JsonArray doors = answer.getJsonArray("doors", new JsonArray());
        for (int i = 0; i < doors.size(); i++) {
            if (doors.getJsonObject(i).getString("doorId", "").equals(doorId)) {
                return doors.getJsonObject(i).getString("door");
            }
        }
        return null;
    }
}
