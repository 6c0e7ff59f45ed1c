package dev.portcullis.policy.engine;

import dev.portcullis.policy.engine.PolicySnapshot.Area;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Grantee;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.RateLimit;
import dev.portcullis.policy.engine.PolicySnapshot.RoleAssignment;
import dev.portcullis.policy.engine.PolicySnapshot.Target;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PolicySnapshot} indexed once for deciding from memory: the work of a decision is proportional
 * to the grants that could apply to its subject and door, never to all grants of the organization.
 * Immutable and safe to share between threads.
 *
 * <ul>
 *   <li>door → its property and tier, and the targets that cover it (the door itself and every area containing it);</li>
 *   <li>target → grantee → grants, so the candidates of a (subject, door) pair are a handful of map lookups;</li>
 *   <li>subject → the grantees it is covered by: itself, its groups, its roles org-wide and per property;</li>
 *   <li>grantee → grants, group → members and role → holders, for reviews that start from a subject or a door.</li>
 * </ul>
 */
public final class PolicyIndex {

    private static final Map<Grantee, List<Grant>> NO_GRANTS = Map.of();

    private final PolicySnapshot snapshot;
    private final Map<UUID, Property> propertyOfDoor = new HashMap<>();
    private final Map<UUID, Tier> tierOfDoor = new HashMap<>();
    private final Map<UUID, List<Target>> targetsOfDoor = new HashMap<>();
    private final Map<Target, Map<Grantee, List<Grant>>> grantsByTarget = new HashMap<>();
    private final Map<Grantee, List<Grant>> grantsByGrantee = new HashMap<>();
    private final Map<String, SubjectGrantees> granteesOfSubject = new HashMap<>();
    private final Map<Role, List<RoleAssignment>> holdersOfRole = new HashMap<>();
    private final Map<String, List<RoleAssignment>> rolesOfSubject = new HashMap<>();
    private final Map<UUID, String> scheduleTexts = new ConcurrentHashMap<>();

    private PolicyIndex(PolicySnapshot snapshot) {
        this.snapshot = snapshot;
        for (Door door : snapshot.doors().values()) {
            Property property = snapshot.properties().get(door.propertyId());
            if (property != null) {
                propertyOfDoor.put(door.id(), property);
            }
            if (door.tierId() != null && snapshot.tiers().containsKey(door.tierId())) {
                tierOfDoor.put(door.id(), snapshot.tiers().get(door.tierId()));
            }
            targetsOfDoor.computeIfAbsent(door.id(), id -> new ArrayList<>(2)).add(new Target.DoorOf(door.id()));
        }
        for (Area area : snapshot.areas().values()) {
            for (UUID doorId : area.doorIds()) {
                targetsOfDoor.computeIfAbsent(doorId, id -> new ArrayList<>(2)).add(new Target.AreaOf(area.id()));
            }
        }
        for (Grant grant : snapshot.grants()) {
            grantsByTarget.computeIfAbsent(grant.target(), t -> new HashMap<>(4)).computeIfAbsent(grant.grantee(), g -> new ArrayList<>(1))
                    .add(grant);
            grantsByGrantee.computeIfAbsent(grant.grantee(), g -> new ArrayList<>(2)).add(grant);
        }
        Map<String, Set<Grantee>> everywhere = new HashMap<>();
        Map<String, Map<UUID, Set<Grantee>>> perProperty = new HashMap<>();
        for (Group group : snapshot.groups().values()) {
            for (String member : group.members()) {
                everywhere.computeIfAbsent(member, PolicyIndex::selfOnly).add(new Grantee.GroupOf(group.id()));
            }
        }
        for (RoleAssignment assignment : snapshot.roles()) {
            holdersOfRole.computeIfAbsent(assignment.role(), r -> new ArrayList<>()).add(assignment);
            rolesOfSubject.computeIfAbsent(assignment.subjectId(), s -> new ArrayList<>(2)).add(assignment);
            Grantee role = new Grantee.RoleOf(assignment.role());
            if (assignment.propertyId() == null) {
                everywhere.computeIfAbsent(assignment.subjectId(), PolicyIndex::selfOnly).add(role);
            } else {
                everywhere.computeIfAbsent(assignment.subjectId(), PolicyIndex::selfOnly);
                perProperty.computeIfAbsent(assignment.subjectId(), s -> new HashMap<>(2))
                        .computeIfAbsent(assignment.propertyId(), p -> new LinkedHashSet<>()).add(role);
            }
        }
        everywhere.forEach((subject, grantees) -> {
            Map<UUID, List<Grantee>> local = new HashMap<>();
            perProperty.getOrDefault(subject, Map.of()).forEach((propertyId, roles) -> {
                List<Grantee> extra = roles.stream().filter(role -> !grantees.contains(role)).toList();
                if (!extra.isEmpty()) {
                    local.put(propertyId, extra);
                }
            });
            granteesOfSubject.put(subject, new SubjectGrantees(List.copyOf(grantees), Map.copyOf(local)));
        });
    }

    /** Indexes a snapshot; tolerates dangling ids (a decision touching one fails closed). */
    public static PolicyIndex of(PolicySnapshot snapshot) {
        return new PolicyIndex(snapshot);
    }

    private static Set<Grantee> selfOnly(String subjectId) {
        Set<Grantee> grantees = new LinkedHashSet<>();
        grantees.add(new Grantee.Subject(subjectId));
        return grantees;
    }

    /** The grantees covering one subject: everywhere, and additionally in given properties (roles held there). */
    record SubjectGrantees(List<Grantee> everywhere, Map<UUID, List<Grantee>> inProperty) {
        List<Grantee> inProperty(UUID propertyId) {
            return inProperty.getOrDefault(propertyId, List.of());
        }
    }

    public PolicySnapshot snapshot() {
        return snapshot;
    }

    public long version() {
        return snapshot.version();
    }

    public UUID organizationId() {
        return snapshot.organizationId();
    }

    public RateLimit rateLimit() {
        return snapshot.rateLimit() == null ? RateLimit.DEFAULT : snapshot.rateLimit();
    }

    /** The grant's schedule in its compact form ({@link dev.portcullis.policy.grant.WeeklySchedule#describe()}), worked out once. */
    String scheduleText(Grant grant) {
        return scheduleTexts.computeIfAbsent(grant.id(), id -> grant.schedule().describe());
    }

    /** The door, or null when the snapshot does not know it. */
    public Door door(UUID doorId) {
        return snapshot.doors().get(doorId);
    }

    public Collection<Door> doors() {
        return snapshot.doors().values();
    }

    /** The door's property, or null when the snapshot is inconsistent. */
    public Property propertyOf(UUID doorId) {
        return propertyOfDoor.get(doorId);
    }

    /** The door's sensitivity tier, or null when it has none. */
    public Tier tierOf(UUID doorId) {
        return tierOfDoor.get(doorId);
    }

    /** Whether the door names a tier the snapshot does not have (an inconsistency: decisions on it fail closed). */
    boolean tierMissing(Door door) {
        return door.tierId() != null && !tierOfDoor.containsKey(door.id());
    }

    public Group group(UUID groupId) {
        return snapshot.groups().get(groupId);
    }

    public Area area(UUID areaId) {
        return snapshot.areas().get(areaId);
    }

    /** Whether the subject holds the role org-wide or in the property. */
    public boolean holdsRole(String subjectId, Role role, UUID propertyId) {
        for (RoleAssignment assignment : rolesOfSubject.getOrDefault(subjectId, List.of())) {
            if (assignment.role() == role && (assignment.propertyId() == null || assignment.propertyId().equals(propertyId))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the subject holds the role for the door: org-wide, or in the door's property (e.g. who may be the second
     * person of a two-person unlock). False for a door the snapshot does not know.
     */
    public boolean holdsRoleFor(String subjectId, Role role, UUID doorId) {
        Property property = propertyOf(doorId);
        return property != null && subjectId != null && holdsRole(subjectId, role, property.id());
    }

    /** The subject's role assignments. */
    public List<RoleAssignment> rolesOf(String subjectId) {
        return rolesOfSubject.getOrDefault(subjectId, List.of());
    }

    /** Everyone holding the role, org-wide or in some property. */
    public List<RoleAssignment> holdersOf(Role role) {
        return holdersOfRole.getOrDefault(role, List.of());
    }

    /** The grantees that cover the subject for doors of the property: itself, its groups, its roles org-wide and there. */
    public List<Grantee> granteesOf(String subjectId, UUID propertyId) {
        SubjectGrantees grantees = granteesOfSubject.get(subjectId);
        if (grantees == null) {
            return List.of(new Grantee.Subject(subjectId));
        }
        List<Grantee> local = propertyId == null ? List.of() : grantees.inProperty(propertyId);
        if (local.isEmpty()) {
            return grantees.everywhere();
        }
        List<Grantee> all = new ArrayList<>(grantees.everywhere().size() + local.size());
        all.addAll(grantees.everywhere());
        all.addAll(local);
        return all;
    }

    /** Every grantee covering the subject in some property (for reviews starting from the subject). */
    List<Grantee> granteesOfAnywhere(String subjectId) {
        SubjectGrantees grantees = granteesOfSubject.get(subjectId);
        if (grantees == null) {
            return List.of(new Grantee.Subject(subjectId));
        }
        Set<Grantee> all = new LinkedHashSet<>(grantees.everywhere());
        grantees.inProperty().values().forEach(all::addAll);
        return List.copyOf(all);
    }

    /** The targets covering the door: the door itself, then each area containing it. */
    public List<Target> targetsOf(UUID doorId) {
        return targetsOfDoor.getOrDefault(doorId, List.of());
    }

    /**
     * The candidate grants of a decision: those whose grantee covers the subject (itself, a group it is in,
     * a role it holds org-wide or in the door's property) and whose target covers the door.
     */
    public List<Grant> candidates(String subjectId, UUID doorId) {
        Property property = propertyOf(doorId);
        List<Grantee> grantees = granteesOf(subjectId, property == null ? null : property.id());
        List<Grant> candidates = null;
        for (Target target : targetsOf(doorId)) {
            Map<Grantee, List<Grant>> byGrantee = grantsByTarget.getOrDefault(target, NO_GRANTS);
            if (byGrantee.isEmpty()) {
                continue;
            }
            for (Grantee grantee : grantees) {
                List<Grant> grants = byGrantee.get(grantee);
                if (grants != null) {
                    if (candidates == null) {
                        candidates = new ArrayList<>(grants.size() + 2);
                    }
                    candidates.addAll(grants);
                }
            }
        }
        return candidates == null ? List.of() : candidates;
    }

    /** Every grant whose target covers the door, whoever it is for. */
    public List<Grant> grantsOn(UUID doorId) {
        List<Grant> grants = new ArrayList<>();
        for (Target target : targetsOf(doorId)) {
            grantsByTarget.getOrDefault(target, NO_GRANTS).values().forEach(grants::addAll);
        }
        return grants;
    }

    /** The grants naming exactly this grantee. */
    public List<Grant> grantsOf(Grantee grantee) {
        return grantsByGrantee.getOrDefault(grantee, List.of());
    }

    /** The doors a target covers (a door that the snapshot does not know is left out). */
    public List<UUID> doorsOf(Target target) {
        if (target instanceof Target.DoorOf door) {
            return snapshot.doors().containsKey(door.doorId()) ? List.of(door.doorId()) : List.of();
        }
        Area area = snapshot.areas().get(((Target.AreaOf) target).areaId());
        if (area == null) {
            return List.of();
        }
        return area.doorIds().stream().filter(snapshot.doors()::containsKey).sorted().toList();
    }
}
