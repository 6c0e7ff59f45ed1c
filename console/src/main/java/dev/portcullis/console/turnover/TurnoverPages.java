package dev.portcullis.console.turnover;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.form.FormToken;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The tenant turnover wizard: {@code /units} lists the units, {@code /units/{id}/turnover} asks for the previous
 * tenants (optional) and a reason, {@code POST …/turnover/review} shows what will happen (the credentials that
 * will be revoked, whose grants policy will end), {@code POST …/turnover} starts it through device-registry's
 * {@code POST /units/{id}/turnover} with the operator's token, and {@code /turnovers/{id}} is the report, which
 * reloads itself until every lock has confirmed and the grants are revoked ({@link TurnoverReportPage}).
 */
@Path("/units")
@RolesAllowed({"operator", "owner"})
@Produces(MediaType.TEXT_HTML)
public class TurnoverPages {

    /** At most this many previous tenants (device-registry's limit). */
    static final int MAX_TENANTS = 20;
    static final int MAX_TEXT = 200;

    @Inject
    Peers peers;

    @Inject
    SignedInOperator operator;

    @Inject
    UnitDirectory directory;

    @Inject
    FormToken forms;

    @Inject
    @Location("turnover-units")
    Template unitsPage;

    @Inject
    @Location("turnover-form")
    Template formPage;

    @Inject
    @Location("turnover-confirm")
    Template confirmPage;

    @GET
    public Uni<String> units() {
        return directory.units(operator).flatMap(units -> unitsPage.data("units", units).createUni());
    }

    @GET
    @Path("{id}/turnover")
    public Uni<String> form(@PathParam("id") String id) {
        String unitId = uuid(id, "unit").toString();
        return Uni.combine().all().unis(directory.unit(operator, unitId), unitCredentials(unitId)).asTuple()
                .flatMap(found -> formPage.data("unit", found.getItem1())
                        .data("credentials", found.getItem2().stream().filter(CredentialRow::live).toList())
                        .data("csrf", forms.of(operator)).createUni());
    }

    /** Step 2: what the turnover will do, from the registry's current state; nothing is changed yet. */
    @POST
    @Path("{id}/turnover/review")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> review(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrf,
            @FormParam("previousTenants") String previousTenants, @FormParam("reason") String reason) {
        forms.check(operator, csrf);
        String unitId = uuid(id, "unit").toString();
        List<String> named = tenants(previousTenants);
        String why = reason(reason);
        return Uni.combine().all().unis(directory.unit(operator, unitId), unitCredentials(unitId),
                        peers.getArray(operator, peers.registry(operator, "doors"))).asTuple()
                .flatMap(found -> {
                    UnitDirectory.Unit unit = found.getItem1();
                    List<CredentialRow> ofUnit = found.getItem2().stream().filter(CredentialRow::live).toList();
                    List<String> tenants = !named.isEmpty() ? named
                            : ofUnit.stream().map(CredentialRow::holderSubjectId).filter(h -> h != null).distinct().sorted().toList();
                    Set<String> doorsOfProperty = new LinkedHashSet<>();
                    Map<String, String> doorNames = new LinkedHashMap<>();
                    for (JsonObject door : UnitDirectory.objects(found.getItem3())) {
                        doorNames.put(door.getString("id"), door.getString("name"));
                        if (unit.propertyId().equals(door.getString("propertyId"))) {
                            doorsOfProperty.add(door.getString("id"));
                        }
                    }
                    return Multi.createFrom().iterable(tenants)
                            .onItem().transformToUniAndConcatenate(tenant -> peers.getArray(operator, peers.registry(operator,
                                    "credentials?holderSubjectId=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "&limit=1000")))
                            .collect().asList()
                            .flatMap(perTenant -> {
                                Map<String, CredentialRow> revoked = new LinkedHashMap<>();
                                ofUnit.forEach(row -> revoked.put(row.id(), row));
                                perTenant.forEach(list -> CredentialRow.of(list).stream()
                                        .filter(row -> row.live() && doorsOfProperty.contains(row.doorId()))
                                        .forEach(row -> revoked.putIfAbsent(row.id(), row)));
                                return confirmPage.data("unit", unit).data("credentials", new ArrayList<>(revoked.values()))
                                        .data("doorNames", doorNames).data("tenants", tenants).data("named", String.join("\n", named))
                                        .data("reason", why).data("csrf", forms.of(operator)).createUni();
                            });
                });
    }

    /** Step 3: the turnover itself, then its report. */
    @POST
    @Path("{id}/turnover")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> start(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrf,
            @FormParam("previousTenants") String previousTenants, @FormParam("reason") String reason) {
        forms.check(operator, csrf);
        UUID unitId = uuid(id, "unit");
        JsonObject body = new JsonObject();
        List<String> named = tenants(previousTenants);
        if (!named.isEmpty()) {
            body.put("previousTenantSubjectIds", new JsonArray(named));
        }
        String why = reason(reason);
        if (why != null) {
            body.put("reason", why);
        }
        return peers.post(operator, peers.registry(operator, "units/" + unitId + "/turnover"), body)
                .onFailure(PeerRefusedException.class).transform(e -> ((PeerRefusedException) e).titled("Turnover refused"))
                .map(report -> Response.seeOther(URI.create("/turnovers/" + uuid(report.getString("id"), "turnover"))).build());
    }

    private Uni<List<CredentialRow>> unitCredentials(String unitId) {
        return peers.getArray(operator, peers.registry(operator, "credentials?unitId=" + unitId + "&limit=1000")).map(CredentialRow::of);
    }

    /** Subject ids separated by commas, spaces or lines; refused (400 page) when too many or too long. */
    static List<String> tenants(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> subjects = Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).distinct().toList();
        if (subjects.size() > MAX_TENANTS || subjects.stream().anyMatch(s -> s.length() > MAX_TEXT)) {
            throw new PeerRefusedException(400, "Too many previous tenants",
                    "Name at most " + MAX_TENANTS + " previous tenants, each at most " + MAX_TEXT + " characters.");
        }
        return subjects;
    }

    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        if (reason.strip().length() > MAX_TEXT) {
            throw new PeerRefusedException(400, "Reason too long", "The reason may have at most " + MAX_TEXT + " characters.");
        }
        return reason.strip();
    }

    static UUID uuid(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new NotFoundException("No " + what + " " + id);
        }
    }
}
