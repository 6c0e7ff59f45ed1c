package dev.portcullis.policy.engine;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Who can open one door within [from, to), and when: the answer to an access review. Each subject is listed
 * with the grants that reach it (directly, through a group or through a role) and the concrete intervals in
 * which they open the door; subjects whose grants give nothing in the period are left out.
 *
 * @param zone       the property's time zone, in which every schedule was read
 * @param conditions what an unlock asks beyond the grant (step-up, lock factor, second approver, lockdown)
 */
public record WhoCanOpen(UUID doorId, String door, UUID propertyId, String zone, Instant from, Instant to, DoorConditions conditions,
        List<SubjectAccess> subjects) {

    public WhoCanOpen {
        subjects = List.copyOf(subjects);
    }

    /**
     * One subject's access to the door.
     *
     * @param intervals          the union of its grants' intervals
     * @param emergencyRole      it holds the emergency role for the door's property (passes a lockdown)
     * @param blockedByLockdown  a lockdown is in force and it does not hold the emergency role: it opens nothing until lifted
     */
    public record SubjectAccess(String subjectId, List<Interval> intervals, List<GrantAccess> grants, boolean emergencyRole,
            boolean blockedByLockdown) {
        public SubjectAccess {
            intervals = List.copyOf(intervals);
            grants = List.copyOf(grants);
        }
    }

    /**
     * One grant reaching the subject.
     *
     * @param via       how it reaches the subject: {@code subject}, {@code group <name>}, {@code role <code> (organization)}
     *                  or {@code role <code> in <property>}
     * @param maxUses   null: unlimited
     * @param usesLeft  null: unlimited; otherwise what the usage counters say is left
     */
    public record GrantAccess(UUID grantId, String via, String target, String schedule, Integer maxUses, Integer usesLeft,
            List<Interval> intervals) {
        public GrantAccess {
            intervals = List.copyOf(intervals);
        }
    }
}
