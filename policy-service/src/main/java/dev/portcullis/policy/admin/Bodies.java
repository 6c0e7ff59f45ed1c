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

    /**
     * A what-if question: a draft change, and whom or what it is about ({@code subject} and/or {@code door}) at an instant
     * ({@code at}) or over a period ({@code from}, {@code to}; default the next 7 days).
     */
    public record WhatIfBody(DraftBody change, String subject, String door, String at, String from, String to) {
    }

    /** A draft change of the policy, applied in memory only. */
    public record DraftBody(List<GrantBody> addGrants, List<GrantEdit> updateGrants, List<UUID> removeGrants, List<LockdownToggle> lockdowns,
            List<DoorTier> doorTiers) {
    }

    /** The grant {@code id} with new terms (its suspensions stay). */
    public record GrantEdit(UUID id, GrantBody grant) {
    }

    /** Puts a property under lockdown ({@code lockdown} true, with a reason) or lifts it. */
    public record LockdownToggle(UUID propertyId, Boolean lockdown, String reason) {
    }

    /** Moves a door to another tier, or to none ({@code tierId} null). */
    public record DoorTier(UUID doorId, UUID tierId) {
    }
}
