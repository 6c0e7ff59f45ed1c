package dev.portcullis.policy.admin;

import dev.portcullis.policy.admin.Bodies.GrantBody;
import dev.portcullis.policy.grant.WeeklySchedule;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** A grant body that passed the field checks (400); its references are checked against the organization (422). */
record ValidGrant(GrantBody body, String kind, String value, UUID doorId, UUID areaId, WeeklySchedule schedule, boolean closedOnHolidays) {

    static ValidGrant of(GrantBody body) {
        String kind = (String) Checks.required(body.granteeKind(), "granteeKind");
        String value = Checks.name(body.granteeValue(), "granteeValue");
        switch (kind) {
            case "subject" -> {
            }
            case "group" -> {
                try {
                    value = UUID.fromString(value).toString();
                } catch (IllegalArgumentException e) {
                    throw Problems.invalid("granteeValue must be a group id when granteeKind is group");
                }
            }
            case "role" -> value = Checks.role(value, "granteeValue");
            default -> throw Problems.invalid("granteeKind must be one of subject, group, role");
        }
        if ((body.doorId() == null) == (body.areaId() == null)) {
            throw Problems.invalid("exactly one of doorId and areaId is required");
        }
        if (body.validFrom() != null && body.validUntil() != null && !body.validUntil().isAfter(body.validFrom())) {
            throw Problems.invalid("validUntil must be after validFrom");
        }
        Checks.positive(body.maxUses(), "maxUses");
        WeeklySchedule schedule = Checks.schedule(body.schedule() == null ? "always" : body.schedule(), "schedule");
        return new ValidGrant(body, kind, value, body.doorId(), body.areaId(), schedule, Boolean.TRUE.equals(body.closedOnHolidays()));
    }

    Uni<Void> checkReferences(Sql sql, UUID org) {
        return sql.requireOwned("door", org, doorId, "door")
                .flatMap(x -> sql.requireOwned("area", org, areaId, "area"))
                .flatMap(x -> "group".equals(kind) ? sql.requireOwned("policy_group", org, UUID.fromString(value), "group")
                        : Uni.createFrom().voidItem());
    }

    String summary() {
        return "grant for " + kind + " " + value + " on " + (doorId != null ? "door " + doorId : "area " + areaId) + " (" + schedule + ")"
                + (body.maxUses() == null ? "" : ", " + body.maxUses() + " uses");
    }
}
