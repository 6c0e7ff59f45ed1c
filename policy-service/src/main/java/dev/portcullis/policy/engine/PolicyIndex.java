package dev.portcullis.policy.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A snapshot indexed for decisions: grants by the door they reach, groups and roles by subject.
 * (Placeholder of the store branch; the engine branch's version replaces it at merge.)
 */
public final class PolicyIndex {

    private final PolicySnapshot snapshot;
    private final Map<UUID, List<PolicySnapshot.Grant>> grantsByDoor = new HashMap<>();
    private final Map<String, Set<UUID>> groupsBySubject = new HashMap<>();
    private final Map<String, List<PolicySnapshot.RoleAssignment>> rolesBySubject = new HashMap<>();

    private PolicyIndex(PolicySnapshot snapshot) {
        this.snapshot = snapshot;
        for (PolicySnapshot.Grant grant : snapshot.grants()) {
            if (grant.target() instanceof PolicySnapshot.Target.DoorOf door) {
                grantsByDoor.computeIfAbsent(door.doorId(), id -> new ArrayList<>()).add(grant);
            } else if (grant.target() instanceof PolicySnapshot.Target.AreaOf area && snapshot.areas().containsKey(area.areaId())) {
                for (UUID doorId : snapshot.areas().get(area.areaId()).doorIds()) {
                    grantsByDoor.computeIfAbsent(doorId, id -> new ArrayList<>()).add(grant);
                }
            }
        }
        snapshot.groups().values().forEach(group -> group.members()
                .forEach(member -> groupsBySubject.computeIfAbsent(member, m -> new HashSet<>()).add(group.id())));
        snapshot.roles().forEach(role -> rolesBySubject.computeIfAbsent(role.subjectId(), s -> new ArrayList<>()).add(role));
    }

    public static PolicyIndex of(PolicySnapshot snapshot) {
        return new PolicyIndex(snapshot);
    }

    public PolicySnapshot snapshot() {
        return snapshot;
    }

    public long version() {
        return snapshot.version();
    }

    List<PolicySnapshot.Grant> grantsOn(UUID doorId) {
        return grantsByDoor.getOrDefault(doorId, List.of());
    }

    Set<UUID> groupsOf(String subjectId) {
        return groupsBySubject.getOrDefault(subjectId, Set.of());
    }

    boolean holds(String subjectId, Role role, UUID propertyId) {
        return rolesBySubject.getOrDefault(subjectId, List.of()).stream()
                .anyMatch(r -> r.role() == role && (r.propertyId() == null || r.propertyId().equals(propertyId)));
    }
}
