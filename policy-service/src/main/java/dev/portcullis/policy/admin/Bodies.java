package dev.portcullis.policy.admin;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Request bodies of the admin API. Every field is checked by the resource; unknown JSON fields are refused by Jackson. */
public final class Bodies {

    private Bodies() {
    }

    public record PropertyBody(String name, String timeZone) {
    }

    public record HolidayBody(LocalDate day, String name) {
    }

    public record LockdownBody(String reason) {
    }

    public record BuildingBody(UUID propertyId, String name) {
    }

    public record UnitBody(UUID buildingId, String name) {
    }

    public record DoorBody(UUID propertyId, UUID buildingId, UUID unitId, String name, UUID tierId) {
    }

    public record TierBody(String name, String requiredAcr, Integer maxAuthAgeSeconds, String lockFactor, String secondApproverRole,
            String usualHours, String outsideRequiredAcr, Integer outsideMaxAuthAgeSeconds) {
    }

    public record AreaBody(UUID propertyId, String name, List<UUID> doorIds) {
    }

    public record GroupBody(String name, List<String> members) {
    }

    public record MemberBody(String subjectId) {
    }

    public record RoleAssignmentBody(String subjectId, String role, UUID propertyId) {
    }

    public record GrantBody(String granteeKind, String granteeValue, UUID doorId, UUID areaId, String schedule, OffsetDateTime validFrom,
            OffsetDateTime validUntil, Boolean closedOnHolidays, Integer maxUses) {
    }

    public record SuspensionBody(LocalDate from, LocalDate to, String reason) {
    }

    public record SettingsBody(Integer rateLimitMaxUnlocks, Integer rateLimitWindowSeconds) {
    }
}
