package dev.portcullis.policy.admin;

/** The JSON views of the admin API's objects (camelCase names, the organization as {@code ?1}). */
final class Kinds {

    private Kinds() {
    }

    static final AdminStore.Kind PROPERTY = new AdminStore.Kind("property", "The property",
            "SELECT t.id, t.name, t.time_zone AS \"timeZone\", t.lockdown_since AS \"lockdownSince\", t.lockdown_reason AS \"lockdownReason\", "
                    + "t.lockdown_by AS \"lockdownBy\", (SELECT coalesce(json_agg(json_build_object('day', h.day, 'name', h.name) ORDER BY h.day), "
                    + "'[]') FROM property_holiday h WHERE h.property_id = t.id) AS holidays FROM property t WHERE t.organization_id = ?1");

    static final AdminStore.Kind BUILDING = new AdminStore.Kind("building", "The building",
            "SELECT t.id, t.property_id AS \"propertyId\", t.name FROM building t WHERE t.organization_id = ?1");

    static final AdminStore.Kind UNIT = new AdminStore.Kind("unit", "The unit",
            "SELECT t.id, t.building_id AS \"buildingId\", t.name FROM unit t WHERE t.organization_id = ?1");

    static final AdminStore.Kind DOOR = new AdminStore.Kind("door", "The door",
            "SELECT t.id, t.property_id AS \"propertyId\", t.building_id AS \"buildingId\", t.unit_id AS \"unitId\", t.name, "
                    + "t.tier_id AS \"tierId\", s.tampered_at AS \"tamperedAt\", s.locked_out_until AS \"lockedOutUntil\", s.online "
                    + "FROM door t LEFT JOIN door_device_state s ON s.door_id = t.id AND s.organization_id = t.organization_id "
                    + "WHERE t.organization_id = ?1");

    static final AdminStore.Kind DEVICE_STATE = new AdminStore.Kind("device_state", "The door",
            "SELECT t.id, s.tampered_at AS \"tamperedAt\", s.locked_out_until AS \"lockedOutUntil\", s.online FROM door t "
                    + "LEFT JOIN door_device_state s ON s.door_id = t.id AND s.organization_id = t.organization_id WHERE t.organization_id = ?1");

    static final AdminStore.Kind TIER = new AdminStore.Kind("tier", "The tier",
            "SELECT t.id, t.name, t.required_acr AS \"requiredAcr\", t.max_auth_age_seconds AS \"maxAuthAgeSeconds\", "
                    + "t.lock_factor AS \"lockFactor\", t.second_approver_role AS \"secondApproverRole\", t.usual_hours AS \"usualHours\", "
                    + "t.outside_required_acr AS \"outsideRequiredAcr\", t.outside_max_auth_age_seconds AS \"outsideMaxAuthAgeSeconds\" "
                    + "FROM tier t WHERE t.organization_id = ?1");

    static final AdminStore.Kind AREA = new AdminStore.Kind("area", "The area",
            "SELECT t.id, t.property_id AS \"propertyId\", t.name, (SELECT coalesce(json_agg(d.door_id ORDER BY d.door_id), '[]') "
                    + "FROM area_door d WHERE d.area_id = t.id) AS \"doorIds\" FROM area t WHERE t.organization_id = ?1");

    static final AdminStore.Kind GROUP = new AdminStore.Kind("group", "The group",
            "SELECT t.id, t.name, (SELECT coalesce(json_agg(m.subject_id ORDER BY m.subject_id), '[]') FROM group_member m "
                    + "WHERE m.group_id = t.id) AS members FROM policy_group t WHERE t.organization_id = ?1");

    static final AdminStore.Kind ROLE_ASSIGNMENT = new AdminStore.Kind("role_assignment", "The role assignment",
            "SELECT t.id, t.subject_id AS \"subjectId\", t.role, t.property_id AS \"propertyId\" FROM role_assignment t "
                    + "WHERE t.organization_id = ?1");

    static final AdminStore.Kind GRANT = new AdminStore.Kind("grant", "The grant",
            "SELECT t.id, t.grantee_kind AS \"granteeKind\", t.grantee_value AS \"granteeValue\", t.door_id AS \"doorId\", "
                    + "t.area_id AS \"areaId\", t.valid_from AS \"validFrom\", t.valid_until AS \"validUntil\", "
                    + "t.closed_on_holidays AS \"closedOnHolidays\", t.max_uses AS \"maxUses\", "
                    + "(SELECT u.used FROM grant_use u WHERE u.grant_id = t.id) AS used, "
                    + "(SELECT coalesce(json_agg(json_build_object('day', w.day_of_week, 'startMinute', w.start_minute, "
                    + "'endMinute', w.end_minute) ORDER BY w.day_of_week, w.start_minute), '[]') FROM grant_window w WHERE w.grant_id = t.id) AS windows, "
                    + "(SELECT coalesce(json_agg(json_build_object('id', s.id, 'from', s.first_day, 'to', s.last_day, 'reason', s.reason) "
                    + "ORDER BY s.first_day), '[]') FROM grant_suspension s WHERE s.grant_id = t.id) AS suspensions "
                    + "FROM access_grant t WHERE t.organization_id = ?1");

    static final AdminStore.Kind SETTINGS = new AdminStore.Kind("settings", "The settings",
            "SELECT * FROM (SELECT s.organization_id AS id, s.rate_limit_max_unlocks AS \"rateLimitMaxUnlocks\", "
                    + "s.rate_limit_window_seconds AS \"rateLimitWindowSeconds\" FROM organization_settings s) t WHERE t.id = ?1");
}
