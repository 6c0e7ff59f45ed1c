package dev.portcullis.policy.admin;

import dev.portcullis.policy.admin.Bodies.DoorTier;
import dev.portcullis.policy.admin.Bodies.DraftBody;
import dev.portcullis.policy.admin.Bodies.GrantBody;
import dev.portcullis.policy.admin.Bodies.GrantEdit;
import dev.portcullis.policy.admin.Bodies.LockdownToggle;
import dev.portcullis.policy.engine.PolicySnapshot;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Grantee;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.Target;
import dev.portcullis.policy.engine.Role;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A draft change of one organization's policy, checked (400 for bad fields, 422 for references the organization's policy
 * does not have) and applied to a snapshot in memory: nothing is written, nothing is published.
 */
final class Draft {

    private final List<ValidGrant> added = new ArrayList<>();
    private final Map<UUID, ValidGrant> updated = new LinkedHashMap<>();
    private final Set<UUID> removed = new HashSet<>();
    private final List<LockdownToggle> lockdowns;
    private final List<DoorTier> doorTiers;

    private Draft(DraftBody body) {
        for (GrantBody grant : orEmpty(body.addGrants())) {
            added.add(ValidGrant.of(Checks.body(grant)));
        }
        for (GrantEdit edit : orEmpty(body.updateGrants())) {
            Checks.body(edit);
            UUID id = (UUID) Checks.required(edit.id(), "updateGrants[].id");
            if (updated.put(id, ValidGrant.of((GrantBody) Checks.required(edit.grant(), "updateGrants[].grant"))) != null) {
                throw Problems.invalid("updateGrants names grant " + id + " twice");
            }
        }
        for (UUID id : orEmpty(body.removeGrants())) {
            removed.add((UUID) Checks.required(id, "removeGrants[]"));
            if (updated.containsKey(id)) {
                throw Problems.invalid("grant " + id + " is both updated and removed");
            }
        }
        lockdowns = orEmpty(body.lockdowns());
        for (LockdownToggle toggle : lockdowns) {
            Checks.body(toggle);
            Checks.required(toggle.propertyId(), "lockdowns[].propertyId");
            if (Boolean.TRUE.equals(Checks.required(toggle.lockdown(), "lockdowns[].lockdown"))) {
                Checks.name(toggle.reason(), "lockdowns[].reason");
            }
        }
        doorTiers = orEmpty(body.doorTiers());
        for (DoorTier doorTier : doorTiers) {
            Checks.body(doorTier);
            Checks.required(doorTier.doorId(), "doorTiers[].doorId");
        }
        if (added.isEmpty() && updated.isEmpty() && removed.isEmpty() && lockdowns.isEmpty() && doorTiers.isEmpty()) {
            throw Problems.invalid("change must add, update or remove grants, toggle a lockdown or move a door to a tier");
        }
    }

    /** Checks the fields of a draft (400). */
    static Draft of(DraftBody body) {
        return new Draft((DraftBody) Checks.required(body, "change"));
    }

    /**
     * The policy with this draft applied, at the same version. {@code by} is who would declare a lockdown, {@code now}
     * when. Fails 422 when the draft names what the snapshot does not have.
     */
    PolicySnapshot applyTo(PolicySnapshot policy, String by, Instant now) {
        Map<UUID, Grant> existing = new LinkedHashMap<>();
        policy.grants().forEach(grant -> existing.put(grant.id(), grant));
        for (UUID id : removed) {
            known(existing.containsKey(id), "grant", id);
        }
        List<Grant> grants = new ArrayList<>();
        for (Grant grant : policy.grants()) {
            if (removed.contains(grant.id())) {
                continue;
            }
            ValidGrant edit = updated.get(grant.id());
            grants.add(edit == null ? grant : grant(policy, grant.id(), edit, grant.suspensions()));
        }
        for (UUID id : updated.keySet()) {
            known(existing.containsKey(id), "grant", id);
        }
        for (ValidGrant grant : added) {
            grants.add(grant(policy, UUID.randomUUID(), grant, List.of()));
        }
        Map<UUID, Property> properties = new HashMap<>(policy.properties());
        for (LockdownToggle toggle : lockdowns) {
            Property property = properties.get(toggle.propertyId());
            known(property != null, "property", toggle.propertyId());
            PolicySnapshot.Lockdown lockdown = toggle.lockdown() ? new PolicySnapshot.Lockdown(now, toggle.reason().trim(), by) : null;
            properties.put(property.id(), new Property(property.id(), property.name(), property.zone(), property.holidays(), lockdown));
        }
        Map<UUID, Door> doors = new HashMap<>(policy.doors());
        for (DoorTier doorTier : doorTiers) {
            Door door = doors.get(doorTier.doorId());
            known(door != null, "door", doorTier.doorId());
            known(doorTier.tierId() == null || policy.tiers().containsKey(doorTier.tierId()), "tier", doorTier.tierId());
            doors.put(door.id(), new Door(door.id(), door.propertyId(), door.buildingId(), door.unitId(), door.name(), doorTier.tierId()));
        }
        return new PolicySnapshot(policy.organizationId(), policy.version(), properties, policy.buildings(), policy.units(), doors,
                policy.areas(), policy.tiers(), policy.groups(), policy.roles(), grants, policy.rateLimit());
    }

    private static Grant grant(PolicySnapshot policy, UUID id, ValidGrant grant, List<PolicySnapshot.Suspension> suspensions) {
        known(grant.doorId() == null || policy.doors().containsKey(grant.doorId()), "door", grant.doorId());
        known(grant.areaId() == null || policy.areas().containsKey(grant.areaId()), "area", grant.areaId());
        Grantee grantee = switch (grant.kind()) {
            case "group" -> {
                UUID group = UUID.fromString(grant.value());
                known(policy.groups().containsKey(group), "group", group);
                yield new Grantee.GroupOf(group);
            }
            case "role" -> new Grantee.RoleOf(Role.of(grant.value()));
            default -> new Grantee.Subject(grant.value());
        };
        Target target = grant.doorId() != null ? new Target.DoorOf(grant.doorId()) : new Target.AreaOf(grant.areaId());
        return new Grant(id, grantee, target, grant.schedule(), instant(grant.body().validFrom()), instant(grant.body().validUntil()),
                grant.closedOnHolidays(), suspensions, grant.body().maxUses());
    }

    private static void known(boolean found, String what, UUID id) {
        if (!found) {
            throw Problems.unprocessable("unknown-reference", what + " " + id + " does not exist in this organization");
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
