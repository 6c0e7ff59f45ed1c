package dev.portcullis.policy.admin;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.policy.admin.Bodies.AreaBody;
import dev.portcullis.policy.admin.Bodies.BuildingBody;
import dev.portcullis.policy.admin.Bodies.DoorBody;
import dev.portcullis.policy.admin.Bodies.HolidayBody;
import dev.portcullis.policy.admin.Bodies.LockdownBody;
import dev.portcullis.policy.admin.Bodies.PropertyBody;
import dev.portcullis.policy.admin.Bodies.TierBody;
import dev.portcullis.policy.admin.Bodies.UnitBody;
import dev.portcullis.policy.device.DeviceStates;
import dev.portcullis.policy.store.PolicyChangeListener;
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
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The places of an organization: properties (holidays, lockdown), buildings, units, doors, tiers and areas. */
@Path("/admin/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PortfolioResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    AdminStore store;

    @Inject
    DeviceStates devices;

    @Inject
    Clock clock;

    private Operator operator(String org) {
        return Operator.of(identity, Checks.organization(org));
    }

    static Response created(String json) {
        return Response.status(201).entity(json).type(MediaType.APPLICATION_JSON).build();
    }

    // --- properties ---

    @GET
    @Path("properties")
    public Uni<String> properties(@PathParam("org") String org) {
        return store.list(Kinds.PROPERTY, operator(org).organizationId());
    }

    @GET
    @Path("properties/{id}")
    public Uni<String> property(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.PROPERTY, operator(org).organizationId(), Checks.id(id, "The property"));
    }

    @POST
    @Path("properties")
    public Uni<Response> createProperty(@PathParam("org") String org, PropertyBody body) {
        Operator op = operator(org);
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        String zone = Checks.zone(body.timeZone());
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.PROPERTY, id, AdminStore.CREATED, "property " + name + " (" + zone + ")",
                sql -> sql.exec("INSERT INTO property (id, organization_id, name, time_zone) VALUES (?1, ?2, ?3, ?4)",
                        id, op.organizationId(), name, zone)).map(PortfolioResource::created);
    }

    @PUT
    @Path("properties/{id}")
    public Uni<String> updateProperty(@PathParam("org") String org, @PathParam("id") String id, PropertyBody body) {
        Operator op = operator(org);
        UUID propertyId = Checks.id(id, "The property");
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        String zone = Checks.zone(body.timeZone());
        return store.change(op, Kinds.PROPERTY, propertyId, AdminStore.UPDATED, "property " + name + " (" + zone + ")",
                sql -> sql.exec("UPDATE property SET name = ?3, time_zone = ?4 WHERE organization_id = ?1 AND id = ?2",
                        op.organizationId(), propertyId, name, zone));
    }

    @DELETE
    @Path("properties/{id}")
    public Uni<Response> deleteProperty(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID propertyId = Checks.id(id, "The property");
        return store.change(op, Kinds.PROPERTY, propertyId, AdminStore.DELETED, "property deleted",
                sql -> sql.exec("DELETE FROM property WHERE organization_id = ?1 AND id = ?2", op.organizationId(), propertyId))
                .map(x -> Response.noContent().build());
    }

    @POST
    @Path("properties/{id}/holidays")
    public Uni<String> addHoliday(@PathParam("org") String org, @PathParam("id") String id, HolidayBody body) {
        Operator op = operator(org);
        UUID propertyId = Checks.id(id, "The property");
        Checks.body(body);
        Checks.required(body.day(), "day");
        String name = body.name() == null ? "" : Checks.name(body.name(), "name");
        return store.change(op, Kinds.PROPERTY, propertyId, AdminStore.UPDATED, "holiday " + body.day() + " added",
                sql -> sql.exec("INSERT INTO property_holiday (property_id, day, name) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT (property_id, day) DO UPDATE SET name = EXCLUDED.name", propertyId, body.day(), name));
    }

    @DELETE
    @Path("properties/{id}/holidays/{day}")
    public Uni<String> removeHoliday(@PathParam("org") String org, @PathParam("id") String id, @PathParam("day") String day) {
        Operator op = operator(org);
        UUID propertyId = Checks.id(id, "The property");
        LocalDate date;
        try {
            date = LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw ProblemException.notFound("The holiday");
        }
        return store.change(op, Kinds.PROPERTY, propertyId, AdminStore.UPDATED, "holiday " + date + " removed",
                sql -> sql.exec("DELETE FROM property_holiday WHERE property_id = ?1 AND day = ?2", propertyId, date)
                        .map(n -> {
                            if (n == 0) {
                                throw ProblemException.notFound("The holiday");
                            }
                            return n;
                        }));
    }

    /** Locks a property down: only the emergency role opens its doors. Needs a recent strong sign-in (RFC 9470). */
    @POST
    @Path("properties/{id}/lockdown")
    public Uni<String> lockdown(@PathParam("org") String org, @PathParam("id") String id, LockdownBody body) {
        Operator op = operator(org);
        UUID propertyId = Checks.id(id, "The property");
        op.requireRecentStrongSignIn(clock.instant());
        String reason = Checks.name(Checks.body(body).reason(), "reason");
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return store.change(op, Kinds.PROPERTY, propertyId, AdminStore.UPDATED, "lockdown: " + reason,
                sql -> sql.exec("UPDATE property SET lockdown_since = ?3, lockdown_reason = ?4, lockdown_by = ?5 "
                        + "WHERE organization_id = ?1 AND id = ?2", op.organizationId(), propertyId, now, reason, op.subject()));
    }

    @DELETE
    @Path("properties/{id}/lockdown")
    public Uni<String> liftLockdown(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID propertyId = Checks.id(id, "The property");
        op.requireRecentStrongSignIn(clock.instant());
        return store.change(op, Kinds.PROPERTY, propertyId, AdminStore.UPDATED, "lockdown lifted",
                sql -> sql.exec("UPDATE property SET lockdown_since = NULL, lockdown_reason = NULL, lockdown_by = NULL "
                        + "WHERE organization_id = ?1 AND id = ?2", op.organizationId(), propertyId));
    }

    // --- buildings and units ---

    @GET
    @Path("buildings")
    public Uni<String> buildings(@PathParam("org") String org) {
        return store.list(Kinds.BUILDING, operator(org).organizationId());
    }

    @GET
    @Path("buildings/{id}")
    public Uni<String> building(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.BUILDING, operator(org).organizationId(), Checks.id(id, "The building"));
    }

    @POST
    @Path("buildings")
    public Uni<Response> createBuilding(@PathParam("org") String org, BuildingBody body) {
        Operator op = operator(org);
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.propertyId(), "propertyId");
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.BUILDING, id, AdminStore.CREATED, "building " + name,
                sql -> sql.requireOwned("property", op.organizationId(), body.propertyId(), "property")
                        .flatMap(x -> sql.exec("INSERT INTO building (id, organization_id, property_id, name) VALUES (?1, ?2, ?3, ?4)",
                                id, op.organizationId(), body.propertyId(), name))).map(PortfolioResource::created);
    }

    /** Renames the building or moves it (with its units) to another property; doors placed in it must already be there (409). */
    @PUT
    @Path("buildings/{id}")
    public Uni<String> updateBuilding(@PathParam("org") String org, @PathParam("id") String id, BuildingBody body) {
        Operator op = operator(org);
        UUID buildingId = Checks.id(id, "The building");
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.propertyId(), "propertyId");
        UUID o = op.organizationId();
        return store.change(op, Kinds.BUILDING, buildingId, AdminStore.UPDATED, "building " + name,
                sql -> sql.requireOwned("property", o, body.propertyId(), "property")
                        .flatMap(x -> refuseIfAny(sql, "SELECT cast(d.id AS text) FROM door d LEFT JOIN unit u ON u.id = d.unit_id "
                                        + "WHERE (d.building_id = ?1 OR u.building_id = ?1) AND d.property_id <> ?2 LIMIT 1",
                                "Doors placed in this building belong to another property; move them first", buildingId, body.propertyId()))
                        .flatMap(x -> sql.exec("UPDATE building SET property_id = ?3, name = ?4 WHERE organization_id = ?1 AND id = ?2",
                                o, buildingId, body.propertyId(), name)));
    }

    @DELETE
    @Path("buildings/{id}")
    public Uni<Response> deleteBuilding(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID buildingId = Checks.id(id, "The building");
        return store.change(op, Kinds.BUILDING, buildingId, AdminStore.DELETED, "building deleted",
                sql -> sql.exec("DELETE FROM building WHERE organization_id = ?1 AND id = ?2", op.organizationId(), buildingId))
                .map(x -> Response.noContent().build());
    }

    @GET
    @Path("units")
    public Uni<String> units(@PathParam("org") String org) {
        return store.list(Kinds.UNIT, operator(org).organizationId());
    }

    @GET
    @Path("units/{id}")
    public Uni<String> unit(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.UNIT, operator(org).organizationId(), Checks.id(id, "The unit"));
    }

    @POST
    @Path("units")
    public Uni<Response> createUnit(@PathParam("org") String org, UnitBody body) {
        Operator op = operator(org);
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.buildingId(), "buildingId");
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.UNIT, id, AdminStore.CREATED, "unit " + name,
                sql -> sql.requireOwned("building", op.organizationId(), body.buildingId(), "building")
                        .flatMap(x -> sql.exec("INSERT INTO unit (id, organization_id, building_id, name) VALUES (?1, ?2, ?3, ?4)",
                                id, op.organizationId(), body.buildingId(), name))).map(PortfolioResource::created);
    }

    /** Renames the unit or moves it to another building; doors placed in it must already be in that building and its property (409). */
    @PUT
    @Path("units/{id}")
    public Uni<String> updateUnit(@PathParam("org") String org, @PathParam("id") String id, UnitBody body) {
        Operator op = operator(org);
        UUID unitId = Checks.id(id, "The unit");
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.buildingId(), "buildingId");
        UUID o = op.organizationId();
        return store.change(op, Kinds.UNIT, unitId, AdminStore.UPDATED, "unit " + name,
                sql -> sql.requireOwned("building", o, body.buildingId(), "building")
                        .flatMap(x -> refuseIfAny(sql, "SELECT cast(d.id AS text) FROM door d JOIN building b ON b.id = ?2 WHERE d.unit_id = ?1 "
                                        + "AND (d.property_id <> b.property_id OR (d.building_id IS NOT NULL AND d.building_id <> ?2)) LIMIT 1",
                                "Doors placed in this unit belong to another building or property; move them first", unitId, body.buildingId()))
                        .flatMap(x -> sql.exec("UPDATE unit SET building_id = ?3, name = ?4 WHERE organization_id = ?1 AND id = ?2",
                                o, unitId, body.buildingId(), name)));
    }

    /** Fails 409 {@code in-use} when the query finds a row. */
    private static Uni<Void> refuseIfAny(Sql sql, String query, String detail, Object... args) {
        return sql.text(query, args).map(found -> {
            if (found != null) {
                throw ProblemException.conflict("in-use", detail);
            }
            return null;
        });
    }

    @DELETE
    @Path("units/{id}")
    public Uni<Response> deleteUnit(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID unitId = Checks.id(id, "The unit");
        return store.change(op, Kinds.UNIT, unitId, AdminStore.DELETED, "unit deleted",
                sql -> sql.exec("DELETE FROM unit WHERE organization_id = ?1 AND id = ?2", op.organizationId(), unitId))
                .map(x -> Response.noContent().build());
    }

    // --- doors ---

    @GET
    @Path("doors")
    public Uni<String> doors(@PathParam("org") String org) {
        return store.list(Kinds.DOOR, operator(org).organizationId());
    }

    @GET
    @Path("doors/{id}")
    public Uni<String> door(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.DOOR, operator(org).organizationId(), Checks.id(id, "The door"));
    }

    /** Registers a door with policy; its id is the registry's door id when given. */
    @PUT
    @Path("doors/{id}")
    public Uni<String> putDoor(@PathParam("org") String org, @PathParam("id") String id, DoorBody body) {
        Operator op = operator(org);
        UUID doorId = Checks.id(id, "The door");
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.propertyId(), "propertyId");
        UUID o = op.organizationId();
        return store.get(Kinds.DOOR, o, doorId).map(found -> AdminStore.UPDATED)
                .onFailure(ProblemException.class).recoverWithItem(AdminStore.CREATED)
                .flatMap(operation -> store.change(op, Kinds.DOOR, doorId, operation, "door " + name,
                        sql -> sql.requireOwned("property", o, body.propertyId(), "property")
                                .flatMap(x -> sql.requireOwned("building", o, body.buildingId(), "building"))
                                .flatMap(x -> sql.requireOwned("unit", o, body.unitId(), "unit"))
                                .flatMap(x -> sql.requireOwned("tier", o, body.tierId(), "tier"))
                                .flatMap(x -> sql.exec("INSERT INTO door (id, organization_id, property_id, building_id, unit_id, name, tier_id) "
                                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                        + "ON CONFLICT (id) DO UPDATE SET property_id = EXCLUDED.property_id, building_id = EXCLUDED.building_id, "
                                        + "unit_id = EXCLUDED.unit_id, name = EXCLUDED.name, tier_id = EXCLUDED.tier_id "
                                        + "WHERE door.organization_id = EXCLUDED.organization_id",
                                        doorId, o, body.propertyId(), body.buildingId(), body.unitId(), name, body.tierId()))
                                .map(n -> {
                                    if (n == 0) {
                                        throw ProblemException.conflict("duplicate", "This door id is taken");
                                    }
                                    return n;
                                })));
    }

    @DELETE
    @Path("doors/{id}")
    public Uni<Response> deleteDoor(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID doorId = Checks.id(id, "The door");
        return store.change(op, Kinds.DOOR, doorId, AdminStore.DELETED, "door deleted",
                sql -> sql.exec("DELETE FROM door WHERE organization_id = ?1 AND id = ?2", op.organizationId(), doorId))
                .map(x -> Response.noContent().build());
    }

    /** An operator inspected the lock and clears its tamper state: the door opens again for those with access. */
    @DELETE
    @Path("doors/{id}/tamper")
    public Uni<String> clearTamper(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID doorId = Checks.id(id, "The door");
        return store.change(op, Kinds.DEVICE_STATE, doorId, AdminStore.UPDATED, "tamper cleared",
                sql -> sql.exec("UPDATE door_device_state SET tampered_at = NULL, updated_at = now() WHERE organization_id = ?1 AND door_id = ?2",
                        op.organizationId(), doorId))
                .call(after -> devices.reload(doorId));
    }

    // --- tiers ---

    @GET
    @Path("tiers")
    public Uni<String> tiers(@PathParam("org") String org) {
        return store.list(Kinds.TIER, operator(org).organizationId());
    }

    @GET
    @Path("tiers/{id}")
    public Uni<String> tier(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.TIER, operator(org).organizationId(), Checks.id(id, "The tier"));
    }

    @POST
    @Path("tiers")
    public Uni<Response> createTier(@PathParam("org") String org, TierBody body) {
        Operator op = operator(org);
        UUID id = UUID.randomUUID();
        Object[] values = tierValues(Checks.body(body));
        return store.change(op, Kinds.TIER, id, AdminStore.CREATED, "tier " + values[0],
                sql -> sql.exec("INSERT INTO tier (id, organization_id, name, required_acr, max_auth_age_seconds, lock_factor, "
                        + "second_approver_role, usual_hours, outside_required_acr, outside_max_auth_age_seconds) VALUES (?1, ?2, ?3, "
                        + "cast(?4 as text), cast(?5 as integer), cast(?6 as text), cast(?7 as text), cast(?8 as text), cast(?9 as text), "
                        + "cast(?10 as integer))", id, op.organizationId(), values[0], values[1], values[2], values[3], values[4], values[5],
                        values[6], values[7])).map(PortfolioResource::created);
    }

    @PUT
    @Path("tiers/{id}")
    public Uni<String> updateTier(@PathParam("org") String org, @PathParam("id") String id, TierBody body) {
        Operator op = operator(org);
        UUID tierId = Checks.id(id, "The tier");
        Object[] values = tierValues(Checks.body(body));
        return store.change(op, Kinds.TIER, tierId, AdminStore.UPDATED, "tier " + values[0],
                sql -> sql.exec("UPDATE tier SET name = ?3, required_acr = cast(?4 as text), max_auth_age_seconds = cast(?5 as integer), "
                        + "lock_factor = cast(?6 as text), second_approver_role = cast(?7 as text), usual_hours = cast(?8 as text), "
                        + "outside_required_acr = cast(?9 as text), outside_max_auth_age_seconds = cast(?10 as integer) "
                        + "WHERE organization_id = ?1 AND id = ?2", op.organizationId(), tierId, values[0], values[1], values[2], values[3],
                        values[4], values[5], values[6], values[7]));
    }

    @DELETE
    @Path("tiers/{id}")
    public Uni<Response> deleteTier(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID tierId = Checks.id(id, "The tier");
        return store.change(op, Kinds.TIER, tierId, AdminStore.DELETED, "tier deleted",
                sql -> sql.exec("DELETE FROM tier WHERE organization_id = ?1 AND id = ?2", op.organizationId(), tierId))
                .map(x -> Response.noContent().build());
    }

    /** name, required acr, max age, lock factor, second approver role, usual hours, outside acr, outside max age (SQL nulls as null). */
    private static Object[] tierValues(TierBody body) {
        String usualHours = body.usualHours() == null ? null : Checks.schedule(body.usualHours(), "usualHours").toString();
        if (usualHours == null && (body.outsideRequiredAcr() != null || body.outsideMaxAuthAgeSeconds() != null)) {
            throw Problems.invalid("outsideRequiredAcr and outsideMaxAuthAgeSeconds need usualHours");
        }
        if (body.lockFactor() != null && (body.lockFactor().isBlank() || body.lockFactor().length() > 64)) {
            throw Problems.invalid("lockFactor must be a short factor name such as biometric_liveness");
        }
        return new Object[] {Checks.name(body.name(), "name"), Checks.acr(body.requiredAcr(), "requiredAcr"),
                Checks.positive(body.maxAuthAgeSeconds(), "maxAuthAgeSeconds"), body.lockFactor(),
                Checks.role(body.secondApproverRole(), "secondApproverRole"), usualHours,
                Checks.acr(body.outsideRequiredAcr(), "outsideRequiredAcr"),
                Checks.positive(body.outsideMaxAuthAgeSeconds(), "outsideMaxAuthAgeSeconds")};
    }

    // --- areas ---

    @GET
    @Path("areas")
    public Uni<String> areas(@PathParam("org") String org) {
        return store.list(Kinds.AREA, operator(org).organizationId());
    }

    @GET
    @Path("areas/{id}")
    public Uni<String> area(@PathParam("org") String org, @PathParam("id") String id) {
        return store.get(Kinds.AREA, operator(org).organizationId(), Checks.id(id, "The area"));
    }

    @POST
    @Path("areas")
    public Uni<Response> createArea(@PathParam("org") String org, AreaBody body) {
        Operator op = operator(org);
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.propertyId(), "propertyId");
        UUID id = UUID.randomUUID();
        return store.change(op, Kinds.AREA, id, AdminStore.CREATED, "area " + name,
                sql -> sql.requireOwned("property", op.organizationId(), body.propertyId(), "property")
                        .flatMap(x -> sql.exec("INSERT INTO area (id, organization_id, property_id, name) VALUES (?1, ?2, ?3, ?4)",
                                id, op.organizationId(), body.propertyId(), name))
                        .flatMap(x -> setAreaDoors(sql, op.organizationId(), id, body.propertyId(), body.doorIds())))
                .map(PortfolioResource::created);
    }

    /** Replaces the area's name, property and doors (each a door of that property, 422 otherwise). */
    @PUT
    @Path("areas/{id}")
    public Uni<String> updateArea(@PathParam("org") String org, @PathParam("id") String id, AreaBody body) {
        Operator op = operator(org);
        UUID areaId = Checks.id(id, "The area");
        Checks.body(body);
        String name = Checks.name(body.name(), "name");
        Checks.required(body.propertyId(), "propertyId");
        Checks.required(body.doorIds(), "doorIds");
        UUID o = op.organizationId();
        return store.change(op, Kinds.AREA, areaId, AdminStore.UPDATED, "area " + name + " (" + body.doorIds().size() + " doors)",
                sql -> sql.requireOwned("property", o, body.propertyId(), "property")
                        .flatMap(x -> sql.exec("UPDATE area SET property_id = ?3, name = ?4 WHERE organization_id = ?1 AND id = ?2",
                                o, areaId, body.propertyId(), name))
                        .flatMap(x -> sql.exec("DELETE FROM area_door WHERE area_id = ?1", areaId))
                        .flatMap(x -> setAreaDoors(sql, o, areaId, body.propertyId(), body.doorIds())));
    }

    @PUT
    @Path("areas/{id}/doors")
    public Uni<String> putAreaDoors(@PathParam("org") String org, @PathParam("id") String id, List<UUID> doorIds) {
        Operator op = operator(org);
        UUID areaId = Checks.id(id, "The area");
        Checks.body(doorIds);
        return store.change(op, Kinds.AREA, areaId, AdminStore.UPDATED, "area doors set (" + doorIds.size() + ")",
                sql -> sql.text("SELECT cast(property_id AS text) FROM area WHERE organization_id = ?1 AND id = ?2", op.organizationId(), areaId)
                        .flatMap(property -> sql.exec("DELETE FROM area_door WHERE area_id = ?1", areaId)
                                .flatMap(x -> setAreaDoors(sql, op.organizationId(), areaId, UUID.fromString(property), doorIds))));
    }

    @DELETE
    @Path("areas/{id}")
    public Uni<Response> deleteArea(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = operator(org);
        UUID areaId = Checks.id(id, "The area");
        return store.change(op, Kinds.AREA, areaId, AdminStore.DELETED, "area deleted",
                sql -> sql.exec("DELETE FROM area WHERE organization_id = ?1 AND id = ?2", op.organizationId(), areaId))
                .map(x -> Response.noContent().build());
    }

    /** Adds the doors to the area; each must be a door of the organization in the area's property (422 otherwise). */
    private static Uni<Void> setAreaDoors(Sql sql, UUID org, UUID areaId, UUID propertyId, List<UUID> doorIds) {
        Set<UUID> doors = new LinkedHashSet<>(doorIds == null ? List.of() : doorIds);
        if (doors.contains(null)) {
            throw Problems.invalid("doorIds must not contain null");
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID door : doors) {
            chain = chain.flatMap(x -> sql.text("SELECT cast(id AS text) FROM door WHERE organization_id = ?1 AND id = ?2 AND property_id = ?3",
                            org, door, propertyId))
                    .flatMap(found -> {
                        if (found == null) {
                            return Uni.createFrom().failure(Problems.unprocessable("unknown-reference",
                                    "door " + door + " is not a door of the area's property in this organization"));
                        }
                        return sql.exec("INSERT INTO area_door (area_id, door_id) VALUES (?1, ?2)", areaId, door).replaceWithVoid();
                    });
        }
        return chain;
    }
}
