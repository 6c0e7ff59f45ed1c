package dev.portcullis.policy.engine;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Lockdown;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;

/**
 * What an unlock of a door asks beyond a matching grant, for reviews: the tier's sign-in requirement (also outside
 * its usual hours), a factor the lock verifies, a second approver, and the property's lockdown if one is in force.
 * All null when not applicable.
 *
 * @param tier              the tier's name
 * @param usualHours        the tier's usual hours, e.g. {@code MON-FRI 07:00-19:00}
 * @param outsideUsualHours what the sign-in needs outside them
 */
public record DoorConditions(String tier, Assurance assurance, String usualHours, Assurance outsideUsualHours, String lockFactor,
        Role secondApproverRole, Lockdown lockdown) {

    public static final DoorConditions NONE = new DoorConditions(null, null, null, null, null, null, null);

    static DoorConditions of(PolicyIndex index, Door door) {
        Property property = index.propertyOf(door.id());
        Lockdown lockdown = property == null ? null : property.lockdown();
        Tier tier = index.tierOf(door.id());
        if (tier == null) {
            return new DoorConditions(null, null, null, null, null, null, lockdown);
        }
        Assurance assurance = tier.assurance() == null || !tier.assurance().any() ? null : tier.assurance();
        return new DoorConditions(tier.name(), assurance, tier.usualHours() == null ? null : tier.usualHours().describe(),
                tier.usualHours() == null ? null : tier.outsideUsualHours(), tier.lockFactor(), tier.secondApproverRole(), lockdown);
    }
}
