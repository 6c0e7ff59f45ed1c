package dev.portcullis.policy.admin;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.policy.admin.Bodies.GrantBody;
import dev.portcullis.policy.admin.Bodies.GroupBody;
import dev.portcullis.policy.admin.Bodies.MemberBody;
import dev.portcullis.policy.admin.Bodies.RoleAssignmentBody;
import dev.portcullis.policy.admin.Bodies.SettingsBody;
import dev.portcullis.policy.admin.Bodies.SuspensionBody;
import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.policy.grant.WeeklyWindow;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Who may open what: groups and their members, role assignments, grants (and their suspensions), settings. */
@Path("/admin/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccessResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    AdminStore store;

    private Operator operator(String org) {
        return Operator.of(identity, Checks.organization(org));
    }

    // --- groups ---

    @GET
    @Path("groups")
    public Uni<String> groups(@PathParam("org") String org) {
        return store.list(Kinds.GROUP, operator(org).organizationId());
    }

    @GET
    @Path("groups/{id}")
    public Uni<String> group(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.GROUP, operator(org).organizationId(), Checks.id(id, "The group"));
    }

    @POST
    @Path("groups")
    public Uni<Response> createGroup(@PathParam("org") String org, GroupBody body) {
        Operator op = operator(org);
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Set<String> members = members(body.members());
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.GROUP, id, AdminStore.CREATED, "group " + name + " (" + members.size() + " members)",
                sql -> {
                    Uni<?> chain = sql.exec("INSERT INTO policy_group (id, organization_id, name) VALUES (?1, ?2, ?3)", id, op.organizationId(), name);
                    for (String member : members) {
                        chain = chain.flatMap(x -> sql.exec("INSERT INTO group_member (group_id, subject_id) VALUES (?1, ?2)", id, member));
                    }
                    return chain;
                }).map(PortfolioResource::created);
    }

    /** Replaces the group's name and members. */
    @PUT
    @Path("groups/{id}")
    public Uni<String> updateGroup(@PathParam("org") String org, @PathParam("id") String id, GroupBody body) {
        Operator op = operator(org);
        UUID groupId = Checks.id(id, "The group");
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.members(), "members");
        Set<String> members = members(body.members());
        return store.change(op, Kinds.GROUP, groupId, AdminStore.UPDATED, "group " + name + " (" + members.size() + " members)",
                sql -> {
                    Uni<?> chain = sql.exec("UPDATE policy_group SET name = ?3 WHERE organization_id = ?1 AND id = ?2", op.organizationId(), groupId,
                                    name)
                            .flatMap(x -> sql.exec("DELETE FROM group_member WHERE group_id = ?1", groupId));
                    for (String member : members) {
                        chain = chain.flatMap(x -> sql.exec("INSERT INTO group_member (group_id, subject_id) VALUES (?1, ?2)", groupId, member));
                    }
                    return chain;
                });
    }

    private static Set<String> members(List<String> listed) {
        Set<String> members = new LinkedHashSet<>();
        for (String member : listed == null ? List.<String>of() : listed) {
            members.add(Checks.name(member, "members[]"));
        }
        return members;
    }

    @POST
    @Path("groups/{id}/members")
    public Uni<String> addMember(@PathParam("org") String org, @PathParam("id") String id, MemberBody body) {
        Operator op = operator(org);
        UUID groupId = Checks.id(id, "The group");
        String subject = Checks.name(Checks.body(body).subjectId(), "subjectId");
        return store.change(op, Kinds.GROUP, groupId, AdminStore.UPDATED, "member " + subject + " added",
                sql -> sql.exec("INSERT INTO group_member (group_id, subject_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING", groupId, subject));
    }

    @DELETE
    @Path("groups/{id}/members/{subject}")
    public Uni<String> removeMember(@PathParam("org") String org, @PathParam("id") String id, @PathParam("subject") String subject) {
        Operator op = operator(org);
        UUID groupId = Checks.id(id, "The group");
        return store.change(op, Kinds.GROUP, groupId, AdminStore.UPDATED, "member " + subject + " removed",
                sql -> sql.exec("DELETE FROM group_member WHERE group_id = ?1 AND subject_id = ?2", groupId, subject).map(n -> {
                    if (n == 0) {
                        throw ProblemException.notFound("The member");
                    }
                    return n;
                }));
    }

    @DELETE
    @Path("groups/{id}")
    public Uni<Response> deleteGroup(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID groupId = Checks.id(id, "The group");
        return store.change(op, Kinds.GROUP, groupId, AdminStore.DELETED, "group deleted",
                sql -> sql.texts("SELECT cast(id AS text) FROM access_grant WHERE organization_id = ?1 "
                                + "AND grantee_kind = 'group' AND grantee_value = ?2", op.organizationId(), groupId.toString())
                        .flatMap(grants -> {
                            if (!grants.isEmpty()) {
                                return Uni.createFrom().failure(ProblemException.conflict("in-use",
                                        "Grants still name this group; delete them first"));
                            }
                            return sql.exec("DELETE FROM policy_group WHERE organization_id = ?1 AND id = ?2", op.organizationId(), groupId);
                        }))
                .map(x -> Response.noContent().build());
    }

    // --- role assignments ---

    @GET
    @Path("role-assignments")
    public Uni<String> roleAssignments(@PathParam("org") String org) {
        return store.list(Kinds.ROLE_ASSIGNMENT, operator(org).organizationId());
    }

    @POST
    @Path("role-assignments")
    public Uni<Response> assignRole(@PathParam("org") String org, RoleAssignmentBody body) {
        Operator op = operator(org);
        Checks.body(body);
        String subject = Checks.name(body.subjectId(), "subjectId");
        String role = Checks.role((String) Checks.required(body.role(), "role"), "role");
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.ROLE_ASSIGNMENT, id, AdminStore.CREATED,
                "role " + role + " for " + subject + (body.propertyId() == null ? " (organization-wide)" : " in property " + body.propertyId()),
                sql -> sql.requireOwned("property", op.organizationId(), body.propertyId(), "property")
                        .flatMap(x -> sql.exec("INSERT INTO role_assignment (id, organization_id, subject_id, role, property_id) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5)", id, op.organizationId(), subject, role, body.propertyId())))
                .map(PortfolioResource::created);
    }

    @GET
    @Path("role-assignments/{id}")
    public Uni<String> roleAssignment(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.ROLE_ASSIGNMENT, operator(org).organizationId(), Checks.id(id, "The role assignment"));
    }

    /** Replaces who holds which role where; the same (subject, role, property) twice is 409. */
    @PUT
    @Path("role-assignments/{id}")
    public Uni<String> updateRoleAssignment(@PathParam("org") String org, @PathParam("id") String id, RoleAssignmentBody body) {
        Operator op = operator(org);
        UUID assignment = Checks.id(id, "The role assignment");
        Checks.body(body);
        String subject = Checks.name(body.subjectId(), "subjectId");
        String role = Checks.role((String) Checks.required(body.role(), "role"), "role");
        UUID o = op.organizationId();
        return store.change(op, Kinds.ROLE_ASSIGNMENT, assignment, AdminStore.UPDATED,
                "role " + role + " for " + subject + (body.propertyId() == null ? " (organization-wide)" : " in property " + body.propertyId()),
                sql -> sql.requireOwned("property", o, body.propertyId(), "property")
                        .flatMap(x -> sql.exec("UPDATE role_assignment SET subject_id = ?3, role = ?4, property_id = ?5 "
                                + "WHERE organization_id = ?1 AND id = ?2", o, assignment, subject, role, body.propertyId())));
    }

    @DELETE
    @Path("role-assignments/{id}")
    public Uni<Response> unassignRole(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID assignment = Checks.id(id, "The role assignment");
        return store.change(op, Kinds.ROLE_ASSIGNMENT, assignment, AdminStore.DELETED, "role assignment removed",
                sql -> sql.exec("DELETE FROM role_assignment WHERE organization_id = ?1 AND id = ?2", op.organizationId(), assignment))
                .map(x -> Response.noContent().build());
    }

    // --- grants ---

    @GET
    @Path("grants")
    public Uni<String> grants(@PathParam("org") String org) {
        return store.list(Kinds.GRANT, operator(org).organizationId());
    }

    @GET
    @Path("grants/{id}")
    public Uni<String> grant(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.GRANT, operator(org).organizationId(), Checks.id(id, "The grant"));
    }

    @POST
    @Path("grants")
    public Uni<Response> createGrant(@PathParam("org") String org, GrantBody body) {
        Operator op = operator(org);
        ValidGrant grant = ValidGrant.of(Checks.body(body));
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.GRANT, id, AdminStore.CREATED, grant.summary(), sql -> insertGrant(sql, op.organizationId(), id, grant))
                .map(PortfolioResource::created);
    }

    /** Replaces the grant's terms (its use count stays). */
    @PUT
    @Path("grants/{id}")
    public Uni<String> updateGrant(@PathParam("org") String org, @PathParam("id") String id, GrantBody body) {
        Operator op = operator(org);
        UUID grantId = Checks.id(id, "The grant");
        ValidGrant grant = ValidGrant.of(Checks.body(body));
        UUID o = op.organizationId();
        return store.change(op, Kinds.GRANT, grantId, AdminStore.UPDATED, grant.summary(),
                sql -> grant.checkReferences(sql, o)
                        .flatMap(x -> sql.exec("UPDATE access_grant SET grantee_kind = ?3, grantee_value = ?4, door_id = ?5, area_id = ?6, "
                                        + "valid_from = ?7, valid_until = ?8, closed_on_holidays = ?9, max_uses = ?10 "
                                        + "WHERE organization_id = ?1 AND id = ?2", o, grantId, grant.kind(), grant.value(), grant.doorId(),
                                grant.areaId(), grant.body().validFrom(), grant.body().validUntil(), grant.closedOnHolidays(), grant.body().maxUses()))
                        .flatMap(x -> sql.exec("DELETE FROM grant_window WHERE grant_id = ?1", grantId))
                        .flatMap(x -> insertWindows(sql, grantId, grant.schedule())));
    }

    /** Revokes the grant: the next decision on any replica no longer sees it. */
    @DELETE
    @Path("grants/{id}")
    public Uni<Response> revokeGrant(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID grantId = Checks.id(id, "The grant");
        return store.change(op, Kinds.GRANT, grantId, AdminStore.DELETED, "grant revoked",
                sql -> sql.exec("DELETE FROM access_grant WHERE organization_id = ?1 AND id = ?2", op.organizationId(), grantId))
                .map(x -> Response.noContent().build());
    }

    @POST
    @Path("grants/{id}/suspensions")
    public Uni<String> suspend(@PathParam("org") String org, @PathParam("id") String id, SuspensionBody body) {
        Operator op = operator(org);
        UUID grantId = Checks.id(id, "The grant");
        Checks.body(body);
        Checks.required(body.from(), "from");
        Checks.required(body.to(), "to");
        if (body.to().isBefore(body.from())) {
            throw Problems.invalid("to must not be before from");
        }
        String reason = body.reason() == null ? "" : Checks.name(body.reason(), "reason");
        return store.change(op, Kinds.GRANT, grantId, AdminStore.UPDATED, "suspended " + body.from() + " to " + body.to(),
                sql -> sql.exec("INSERT INTO grant_suspension (id, grant_id, first_day, last_day, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                        UUID.randomUUID(), grantId, body.from(), body.to(), reason));
    }

    @DELETE
    @Path("grants/{id}/suspensions/{suspension}")
    public Uni<String> endSuspension(@PathParam("org") String org, @PathParam("id") String id, @PathParam("suspension") String suspension) {
        Operator op = operator(org);
        UUID grantId = Checks.id(id, "The grant");
        UUID suspensionId = Checks.id(suspension, "The suspension");
        return store.change(op, Kinds.GRANT, grantId, AdminStore.UPDATED, "suspension removed",
                sql -> sql.exec("DELETE FROM grant_suspension WHERE grant_id = ?1 AND id = ?2", grantId, suspensionId).map(n -> {
                    if (n == 0) {
                        throw ProblemException.notFound("The suspension");
                    }
                    return n;
                }));
    }

    static Uni<?> insertGrant(Sql sql, UUID org, UUID id, ValidGrant grant) {
        return grant.checkReferences(sql, org)
                .flatMap(x -> sql.exec("INSERT INTO access_grant (id, organization_id, grantee_kind, grantee_value, door_id, area_id, "
                                + "valid_from, valid_until, closed_on_holidays, max_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        id, org, grant.kind(), grant.value(), grant.doorId(), grant.areaId(), grant.body().validFrom(),
                        grant.body().validUntil(), grant.closedOnHolidays(), grant.body().maxUses()))
                .flatMap(x -> insertWindows(sql, id, grant.schedule()));
    }

    private static Uni<Void> insertWindows(Sql sql, UUID grantId, WeeklySchedule schedule) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (WeeklyWindow window : schedule.windows()) {
            chain = chain.flatMap(x -> sql.exec("INSERT INTO grant_window (grant_id, day_of_week, start_minute, end_minute) VALUES (?1, ?2, ?3, ?4)",
                    grantId, (short) window.day().getValue(), window.startMinute(), window.endMinute()).replaceWithVoid());
        }
        return chain;
    }

    // --- settings ---

    @GET
    @Path("settings")
    public Uni<String> settings(@PathParam("org") String org) {
        UUID o = operator(org).organizationId();
        return store.get(Kinds.SETTINGS, o, o).onFailure(ProblemException.class).recoverWithItem(
                "{\"id\":\"" + o + "\",\"rateLimitMaxUnlocks\":30,\"rateLimitWindowSeconds\":600}");
    }

    @PUT
    @Path("settings")
    public Uni<String> putSettings(@PathParam("org") String org, SettingsBody body) {
        Operator op = operator(org);
        Checks.body(body);
        Integer max = Checks.positive((Integer) Checks.required(body.rateLimitMaxUnlocks(), "rateLimitMaxUnlocks"), "rateLimitMaxUnlocks");
        Integer window = Checks.positive((Integer) Checks.required(body.rateLimitWindowSeconds(), "rateLimitWindowSeconds"),
                "rateLimitWindowSeconds");
        if (window > 86_400) {
            throw Problems.invalid("rateLimitWindowSeconds must be at most one day (86400)");
        }
        UUID o = op.organizationId();
        return store.change(op, Kinds.SETTINGS, o, AdminStore.UPDATED, "rate limit " + max + " per " + window + " s",
                sql -> sql.exec("INSERT INTO organization_settings (organization_id, rate_limit_max_unlocks, rate_limit_window_seconds) "
                        + "VALUES (?1, ?2, ?3) ON CONFLICT (organization_id) DO UPDATE SET rate_limit_max_unlocks = EXCLUDED.rate_limit_max_unlocks, "
                        + "rate_limit_window_seconds = EXCLUDED.rate_limit_window_seconds", o, max, window));
    }
}
