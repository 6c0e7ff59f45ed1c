package dev.portcullis.registry.portfolio;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.portfolio.PortfolioViews.Building;
import dev.portcullis.registry.portfolio.PortfolioViews.Door;
import dev.portcullis.registry.portfolio.PortfolioViews.DoorBody;
import dev.portcullis.registry.portfolio.PortfolioViews.NameBody;
import dev.portcullis.registry.portfolio.PortfolioViews.Property;
import dev.portcullis.registry.portfolio.PortfolioViews.PropertyBody;
import dev.portcullis.registry.portfolio.PortfolioViews.Unit;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** Operators' view and changes of the portfolio: properties, their buildings, units and doors. */
@Path("/admin/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PortfolioResource {

    static final int MAX_NAME = 200;

    @Inject
    SecurityIdentity identity;

    @Inject
    Db db;

    static Response created(Object entity) {
        return Response.status(201).entity(entity).type(MediaType.APPLICATION_JSON).build();
    }

    static <T> T found(T value, String what) {
        if (value == null) {
            throw ProblemException.notFound(what);
        }
        return value;
    }

    // --- properties ---

    @GET
    @Path("properties")
    public Uni<List<Property>> properties(@PathParam("org") String org) {
        Operator op = Operator.of(identity, org);
        return db.list("SELECT " + Property.COLUMNS + " FROM property WHERE organization_id = $1 ORDER BY name", Property::of,
                op.organizationId());
    }

    @GET
    @Path("properties/{id}")
    public Uni<Property> property(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID propertyId = Checks.pathId(id, "The property");
        return db.one("SELECT " + Property.COLUMNS + " FROM property WHERE organization_id = $1 AND id = $2", Property::of,
                op.organizationId(), propertyId).map(p -> found(p, "The property"));
    }

    @POST
    @Path("properties")
    public Uni<Response> createProperty(@PathParam("org") String org, PropertyBody body) {
        Operator op = Operator.of(identity, org);
        Checks.body(body);
        String name = Checks.name(body.name(), "name", MAX_NAME);
        String zone = zone(body.timeZone());
        return db.inTransaction(sql -> Db.one(sql, "INSERT INTO property (id, organization_id, name, time_zone) VALUES ($1, $2, $3, $4)"
                + " RETURNING " + Property.COLUMNS, Property::of, UUID.randomUUID(), op.organizationId(), name, zone))
                .map(PortfolioResource::created);
    }

    @PUT
    @Path("properties/{id}")
    public Uni<Property> updateProperty(@PathParam("org") String org, @PathParam("id") String id, PropertyBody body) {
        Operator op = Operator.of(identity, org);
        UUID propertyId = Checks.pathId(id, "The property");
        Checks.body(body);
        String name = Checks.name(body.name(), "name", MAX_NAME);
        String zone = zone(body.timeZone());
        return db.inTransaction(sql -> Db.one(sql, "UPDATE property SET name = $3, time_zone = $4 WHERE organization_id = $1 AND id = $2"
                + " RETURNING " + Property.COLUMNS, Property::of, op.organizationId(), propertyId, name, zone))
                .map(p -> found(p, "The property"));
    }

    // --- buildings ---

    @GET
    @Path("properties/{id}/buildings")
    public Uni<List<Building>> buildings(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID propertyId = Checks.pathId(id, "The property");
        return exists("property", op.organizationId(), propertyId, "The property")
                .flatMap(x -> db.list("SELECT " + Building.COLUMNS + " FROM building WHERE organization_id = $1 AND property_id = $2 ORDER BY name",
                        Building::of, op.organizationId(), propertyId));
    }

    @POST
    @Path("properties/{id}/buildings")
    public Uni<Response> createBuilding(@PathParam("org") String org, @PathParam("id") String id, NameBody body) {
        Operator op = Operator.of(identity, org);
        UUID propertyId = Checks.pathId(id, "The property");
        String name = Checks.name(Checks.body(body).name(), "name", MAX_NAME);
        return exists("property", op.organizationId(), propertyId, "The property")
                .flatMap(x -> db.inTransaction(sql -> Db.one(sql, "INSERT INTO building (id, organization_id, property_id, name)"
                        + " VALUES ($1, $2, $3, $4) RETURNING " + Building.COLUMNS, Building::of, UUID.randomUUID(), op.organizationId(),
                        propertyId, name)))
                .map(PortfolioResource::created);
    }

    @GET
    @Path("buildings/{id}")
    public Uni<Building> building(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID buildingId = Checks.pathId(id, "The building");
        return db.one("SELECT " + Building.COLUMNS + " FROM building WHERE organization_id = $1 AND id = $2", Building::of,
                op.organizationId(), buildingId).map(b -> found(b, "The building"));
    }

    // --- units ---

    @GET
    @Path("buildings/{id}/units")
    public Uni<List<Unit>> units(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID buildingId = Checks.pathId(id, "The building");
        return exists("building", op.organizationId(), buildingId, "The building")
                .flatMap(x -> db.list("SELECT " + Unit.COLUMNS + " FROM unit WHERE organization_id = $1 AND building_id = $2 ORDER BY name",
                        Unit::of, op.organizationId(), buildingId));
    }

    @POST
    @Path("buildings/{id}/units")
    public Uni<Response> createUnit(@PathParam("org") String org, @PathParam("id") String id, NameBody body) {
        Operator op = Operator.of(identity, org);
        UUID buildingId = Checks.pathId(id, "The building");
        String name = Checks.name(Checks.body(body).name(), "name", MAX_NAME);
        return exists("building", op.organizationId(), buildingId, "The building")
                .flatMap(x -> db.inTransaction(sql -> Db.one(sql, "INSERT INTO unit (id, organization_id, building_id, name)"
                        + " VALUES ($1, $2, $3, $4) RETURNING " + Unit.COLUMNS, Unit::of, UUID.randomUUID(), op.organizationId(),
                        buildingId, name)))
                .map(PortfolioResource::created);
    }

    // --- doors ---

    @GET
    @Path("doors")
    public Uni<List<Door>> doors(@PathParam("org") String org) {
        Operator op = Operator.of(identity, org);
        return db.list(Door.SELECT + " WHERE d.organization_id = $1 ORDER BY d.name", Door::of, op.organizationId());
    }

    @GET
    @Path("doors/{id}")
    public Uni<Door> door(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID doorId = Checks.pathId(id, "The door");
        return db.one(Door.SELECT + " WHERE d.organization_id = $1 AND d.id = $2", Door::of, op.organizationId(), doorId)
                .map(d -> found(d, "The door"));
    }

    @POST
    @Path("doors")
    public Uni<Response> createDoor(@PathParam("org") String org, DoorBody body) {
        Operator op = Operator.of(identity, org);
        Checks.body(body);
        UUID propertyId = Checks.required(body.propertyId(), "propertyId");
        String name = Checks.name(body.name(), "name", MAX_NAME);
        if (body.unitId() != null && body.buildingId() == null) {
            throw Checks.invalid("buildingId is required with unitId");
        }
        UUID doorId = UUID.randomUUID();
        // The building must be of the property and the unit of the building, all of this organization.
        return db.inTransaction(sql -> Db.one(sql, "SELECT p.id FROM property p"
                + " LEFT JOIN building b ON b.id = $3 AND b.property_id = p.id AND b.organization_id = p.organization_id"
                + " LEFT JOIN unit u ON u.id = $4 AND u.building_id = b.id AND u.organization_id = p.organization_id"
                + " WHERE p.organization_id = $1 AND p.id = $2 AND ($3::uuid IS NULL OR b.id IS NOT NULL) AND ($4::uuid IS NULL OR u.id IS NOT NULL)",
                row -> row.getUUID(0), op.organizationId(), propertyId, body.buildingId(), body.unitId())
                .flatMap(ok -> {
                    if (ok == null) {
                        throw Checks.unprocessable("unknown-reference",
                                "propertyId, buildingId and unitId must name a property of this organization, a building of it and a unit of that building");
                    }
                    return Db.exec(sql, "INSERT INTO door (id, organization_id, property_id, building_id, unit_id, name)"
                            + " VALUES ($1, $2, $3, $4, $5, $6)", doorId, op.organizationId(), propertyId, body.buildingId(), body.unitId(), name)
                            .flatMap(x -> DoorEvents.changed(sql, op.organizationId(), doorId, "created",
                                    dev.portcullis.registry.admin.Events.Cause.operator(op.subject()), java.time.Instant.now()));
                })
                .flatMap(x -> Db.one(sql, Door.SELECT + " WHERE d.organization_id = $1 AND d.id = $2", Door::of, op.organizationId(), doorId)))
                .map(PortfolioResource::created);
    }

    private Uni<Void> exists(String table, UUID organizationId, UUID id, String what) {
        return db.one("SELECT id FROM " + table + " WHERE organization_id = $1 AND id = $2", row -> row.getUUID(0), organizationId, id)
                .map(found -> {
                    if (found == null) {
                        throw ProblemException.notFound(what);
                    }
                    return null;
                });
    }

    static String zone(String value) {
        String text = Checks.name(value, "timeZone", 64);
        try {
            return ZoneId.of(text).getId();
        } catch (DateTimeException e) {
            throw Checks.invalid("timeZone is not a known time zone (e.g. Europe/Berlin)");
        }
    }
}
