package dev.portcullis.console.portfolio;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The portfolio tree an operator sees: properties, their doors, and the lock on each door with its health
 * (from the registry's device shadow) and its model's support status. Built from the registry's answers.
 */
@TemplateData
public record Portfolio(List<Property> properties, int lockCount, int offlineCount, int tamperedCount) {

    /** Battery at or below this is flagged low. */
    public static final int LOW_BATTERY_PERCENT = 20;

    @TemplateData
    public record Property(String id, String name, List<Door> doors) {
    }

    @TemplateData
    public record Door(String id, String name, LockHealth lock) {
    }

    /** One lock's row: {@code online}/{@code tampered} as the shadow reports them, {@code supportStatus} of its model. */
    @TemplateData
    public record LockHealth(String id, String serialNumber, String status, boolean online, Integer batteryPercent,
            boolean tampered, String lastSeenAt, String supportStatus, String endOfSupport, String firmwareVersion) {

        public boolean lowBattery() {
            return batteryPercent != null && batteryPercent <= LOW_BATTERY_PERCENT;
        }

        public boolean unsupported() {
            return "UNSUPPORTED".equals(supportStatus) || "ENDING_SOON".equals(supportStatus);
        }

        /** The support status as words ("ending soon"), or null when the model has none. */
        public String supportLabel() {
            return supportStatus == null ? null : supportStatus.replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
        }

        /** Anything an operator should look at. */
        public boolean needsAttention() {
            return !online || tampered || lowBattery() || unsupported();
        }

        public static LockHealth of(JsonObject lock) {
            JsonObject health = lock.getJsonObject("health");
            JsonObject support = lock.getJsonObject("support");
            JsonObject firmware = lock.getJsonObject("firmware");
            return new LockHealth(lock.getString("id"), lock.getString("serialNumber"), lock.getString("status"),
                    health != null && Boolean.TRUE.equals(health.getBoolean("online")),
                    health == null ? null : health.getInteger("batteryPercent"),
                    health != null && Boolean.TRUE.equals(health.getBoolean("tampered")),
                    health == null ? null : health.getString("lastSeenAt"),
                    support == null ? null : support.getString("status"),
                    support == null ? null : support.getString("endOfSupport"),
                    firmware == null ? null : firmware.getString("installedVersion"));
        }
    }

    /** Joins the registry's properties, doors and locks lists into the tree (names sorted, doors without a lock kept). */
    public static Portfolio of(JsonArray properties, JsonArray doors, JsonArray locks) {
        Map<String, LockHealth> locksById = new LinkedHashMap<>();
        for (int i = 0; i < locks.size(); i++) {
            LockHealth lock = LockHealth.of(locks.getJsonObject(i));
            locksById.put(lock.id(), lock);
        }
        Map<String, List<Door>> doorsByProperty = new LinkedHashMap<>();
        for (int i = 0; i < doors.size(); i++) {
            JsonObject door = doors.getJsonObject(i);
            String lockId = door.getString("lockId");
            doorsByProperty.computeIfAbsent(door.getString("propertyId"), ignored -> new ArrayList<>())
                    .add(new Door(door.getString("id"), door.getString("name"), lockId == null ? null : locksById.get(lockId)));
        }
        List<Property> tree = new ArrayList<>();
        for (int i = 0; i < properties.size(); i++) {
            JsonObject property = properties.getJsonObject(i);
            List<Door> its = new ArrayList<>(doorsByProperty.getOrDefault(property.getString("id"), List.of()));
            its.sort(Comparator.comparing(Door::name, String.CASE_INSENSITIVE_ORDER));
            tree.add(new Property(property.getString("id"), property.getString("name"), its));
        }
        tree.sort(Comparator.comparing(Property::name, String.CASE_INSENSITIVE_ORDER));
        List<LockHealth> mounted = tree.stream().flatMap(p -> p.doors().stream()).map(Door::lock)
                .filter(lock -> lock != null).toList();
        return new Portfolio(tree, mounted.size(), (int) mounted.stream().filter(l -> !l.online()).count(),
                (int) mounted.stream().filter(LockHealth::tampered).count());
    }
}
