package dev.portcullis.policy.store;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.PolicySnapshot;
import dev.portcullis.policy.engine.Role;
import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.policy.grant.WeeklyWindow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads one organization's policy data into a {@link PolicySnapshot}, in one repeatable-read transaction
 * so the version and the data it reports belong together.
 */
@ApplicationScoped
public class SnapshotLoader {

    @Inject
    Pool pool;

    public Uni<PolicySnapshot> load(UUID organizationId) {
        return pool.withTransaction(connection -> connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute().flatMap(ignored -> read(connection, organizationId)));
    }

    private Uni<PolicySnapshot> read(SqlConnection c, UUID org) {
        Tuple byOrg = Tuple.of(org);
        Builder b = new Builder(org);
        return q(c, "SELECT version FROM policy_version WHERE organization_id = $1", byOrg)
                .invoke(rows -> rows.forEach(r -> b.version = r.getLong("version")))
                .flatMap(x -> q(c, "SELECT h.property_id, h.day FROM property_holiday h JOIN property p ON p.id = h.property_id "
                        + "WHERE p.organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.holidays.computeIfAbsent(r.getUUID("property_id"), k -> new HashSet<>())
                        .add(r.getLocalDate("day"))))
                .flatMap(x -> q(c, "SELECT * FROM property WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> {
                    UUID id = r.getUUID("id");
                    OffsetDateTime since = r.getOffsetDateTime("lockdown_since");
                    b.properties.put(id, new PolicySnapshot.Property(id, r.getString("name"), ZoneId.of(r.getString("time_zone")),
                            b.holidays.getOrDefault(id, Set.of()), since == null ? null
                                    : new PolicySnapshot.Lockdown(since.toInstant(), r.getString("lockdown_reason"), r.getString("lockdown_by"))));
                }))
                .flatMap(x -> q(c, "SELECT id, property_id, name FROM building WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.buildings.put(r.getUUID("id"),
                        new PolicySnapshot.Building(r.getUUID("id"), r.getUUID("property_id"), r.getString("name")))))
                .flatMap(x -> q(c, "SELECT id, building_id, name FROM unit WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.units.put(r.getUUID("id"),
                        new PolicySnapshot.Unit(r.getUUID("id"), r.getUUID("building_id"), r.getString("name")))))
                .flatMap(x -> q(c, "SELECT id, property_id, building_id, unit_id, name, tier_id FROM door WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.doors.put(r.getUUID("id"), new PolicySnapshot.Door(r.getUUID("id"),
                        r.getUUID("property_id"), r.getUUID("building_id"), r.getUUID("unit_id"), r.getString("name"), r.getUUID("tier_id")))))
                .flatMap(x -> q(c, "SELECT ad.area_id, ad.door_id FROM area_door ad JOIN area a ON a.id = ad.area_id "
                        + "WHERE a.organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.areaDoors.computeIfAbsent(r.getUUID("area_id"), k -> new HashSet<>())
                        .add(r.getUUID("door_id"))))
                .flatMap(x -> q(c, "SELECT id, property_id, name FROM area WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.areas.put(r.getUUID("id"), new PolicySnapshot.Area(r.getUUID("id"),
                        r.getUUID("property_id"), r.getString("name"), b.areaDoors.getOrDefault(r.getUUID("id"), Set.of())))))
                .flatMap(x -> q(c, "SELECT * FROM tier WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.tiers.put(r.getUUID("id"), tier(r))))
                .flatMap(x -> q(c, "SELECT m.group_id, m.subject_id FROM group_member m JOIN policy_group g ON g.id = m.group_id "
                        + "WHERE g.organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.members.computeIfAbsent(r.getUUID("group_id"), k -> new HashSet<>())
                        .add(r.getString("subject_id"))))
                .flatMap(x -> q(c, "SELECT id, name FROM policy_group WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.groups.put(r.getUUID("id"), new PolicySnapshot.Group(r.getUUID("id"),
                        r.getString("name"), b.members.getOrDefault(r.getUUID("id"), Set.of())))))
                .flatMap(x -> q(c, "SELECT subject_id, role, property_id FROM role_assignment WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.roles.add(new PolicySnapshot.RoleAssignment(r.getString("subject_id"),
                        Role.of(r.getString("role")), r.getUUID("property_id")))))
                .flatMap(x -> q(c, "SELECT w.grant_id, w.day_of_week, w.start_minute, w.end_minute FROM grant_window w "
                        + "JOIN access_grant g ON g.id = w.grant_id WHERE g.organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.windows.computeIfAbsent(r.getUUID("grant_id"), k -> new ArrayList<>())
                        .add(new WeeklyWindow(DayOfWeek.of(r.getInteger("day_of_week")), r.getInteger("start_minute"),
                                r.getInteger("end_minute")))))
                .flatMap(x -> q(c, "SELECT s.grant_id, s.first_day, s.last_day, s.reason FROM grant_suspension s "
                        + "JOIN access_grant g ON g.id = s.grant_id WHERE g.organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.suspensions.computeIfAbsent(r.getUUID("grant_id"), k -> new ArrayList<>())
                        .add(new PolicySnapshot.Suspension(r.getLocalDate("first_day"), r.getLocalDate("last_day"), r.getString("reason")))))
                .flatMap(x -> q(c, "SELECT * FROM access_grant WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.grants.add(grant(r, b))))
                .flatMap(x -> q(c, "SELECT * FROM organization_settings WHERE organization_id = $1", byOrg))
                .invoke(rows -> rows.forEach(r -> b.rateLimit = new PolicySnapshot.RateLimit(r.getInteger("rate_limit_max_unlocks"),
                        Duration.ofSeconds(r.getInteger("rate_limit_window_seconds")))))
                .map(x -> b.build());
    }

    private static Uni<RowSet<Row>> q(SqlConnection c, String sql, Tuple args) {
        return c.preparedQuery(sql).execute(args);
    }

    static PolicySnapshot.Tier tier(Row r) {
        String usual = r.getString("usual_hours");
        String secondApprover = r.getString("second_approver_role");
        return new PolicySnapshot.Tier(r.getUUID("id"), r.getString("name"),
                assurance(r.getString("required_acr"), r.getInteger("max_auth_age_seconds")), r.getString("lock_factor"),
                secondApprover == null ? null : Role.of(secondApprover), usual == null ? null : WeeklySchedule.parse(usual),
                usual == null ? null : assurance(r.getString("outside_required_acr"), r.getInteger("outside_max_auth_age_seconds")));
    }

    private static Assurance assurance(String acr, Integer maxAgeSeconds) {
        return new Assurance(acr, maxAgeSeconds == null ? null : Duration.ofSeconds(maxAgeSeconds));
    }

    private static PolicySnapshot.Grant grant(Row r, Builder b) {
        UUID id = r.getUUID("id");
        String value = r.getString("grantee_value");
        PolicySnapshot.Grantee grantee = switch (r.getString("grantee_kind")) {
            case "subject" -> new PolicySnapshot.Grantee.Subject(value);
            case "group" -> new PolicySnapshot.Grantee.GroupOf(UUID.fromString(value));
            case "role" -> new PolicySnapshot.Grantee.RoleOf(Role.of(value));
            default -> throw new IllegalStateException("unknown grantee kind of grant " + id);
        };
        UUID door = r.getUUID("door_id");
        PolicySnapshot.Target target = door != null ? new PolicySnapshot.Target.DoorOf(door)
                : new PolicySnapshot.Target.AreaOf(r.getUUID("area_id"));
        return new PolicySnapshot.Grant(id, grantee, target, new WeeklySchedule(b.windows.getOrDefault(id, List.of())),
                instant(r.getOffsetDateTime("valid_from")), instant(r.getOffsetDateTime("valid_until")),
                r.getBoolean("closed_on_holidays"), b.suspensions.getOrDefault(id, List.of()), r.getInteger("max_uses"));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static final class Builder {
        final UUID org;
        long version;
        final Map<UUID, Set<LocalDate>> holidays = new HashMap<>();
        final Map<UUID, PolicySnapshot.Property> properties = new HashMap<>();
        final Map<UUID, PolicySnapshot.Building> buildings = new HashMap<>();
        final Map<UUID, PolicySnapshot.Unit> units = new HashMap<>();
        final Map<UUID, PolicySnapshot.Door> doors = new HashMap<>();
        final Map<UUID, Set<UUID>> areaDoors = new HashMap<>();
        final Map<UUID, PolicySnapshot.Area> areas = new HashMap<>();
        final Map<UUID, PolicySnapshot.Tier> tiers = new HashMap<>();
        final Map<UUID, Set<String>> members = new HashMap<>();
        final Map<UUID, PolicySnapshot.Group> groups = new HashMap<>();
        final List<PolicySnapshot.RoleAssignment> roles = new ArrayList<>();
        final Map<UUID, List<WeeklyWindow>> windows = new HashMap<>();
        final Map<UUID, List<PolicySnapshot.Suspension>> suspensions = new HashMap<>();
        final List<PolicySnapshot.Grant> grants = new ArrayList<>();
        PolicySnapshot.RateLimit rateLimit = PolicySnapshot.RateLimit.DEFAULT;

        Builder(UUID org) {
            this.org = org;
        }

        PolicySnapshot build() {
            return new PolicySnapshot(org, version, properties, buildings, units, doors, areas, tiers, groups, roles, grants, rateLimit);
        }
    }
}
