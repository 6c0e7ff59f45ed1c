package dev.portcullis.console.feed;

import dev.portcullis.console.audit.AuditClient;
import dev.portcullis.console.audit.AuditRows;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.registry.RegistryClient;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /events}: the organization's newest audit entries (audit-service {@code GET /v1/audit}, newest first), with a
 * link per door and lock, optionally one door's only; the page refreshes itself every {@value #REFRESH_SECONDS} s.
 */
@Path("/events")
@RolesAllowed({"operator", "owner"})
public class EventsPage {

    public static final int REFRESH_SECONDS = 10;
    static final int LIMIT = 50;

    @Inject
    AuditClient audit;

    @Inject
    RegistryClient registry;

    @Inject
    SignedInOperator operator;

    @Inject
    Template events;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> show(@QueryParam("doorId") String doorId) {
        String door = doorId == null || doorId.isBlank() ? null : door(doorId);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("limit", String.valueOf(LIMIT));
        filters.put("doorId", door);
        return Uni.combine().all().unis(registry.doors(operator), audit.entries(operator, filters)).asTuple()
                .flatMap(both -> {
                    Map<String, String> names = AuditRows.doorNames(both.getItem1());
                    return events.data("rows", AuditRows.of(both.getItem2(), names))
                            .data("doors", AuditRows.choices(names, door))
                            .data("door", door)
                            .data("doorName", door == null ? null : names.getOrDefault(door, door))
                            .data("refreshSeconds", REFRESH_SECONDS)
                            .createUni();
                });
    }

    private static String door(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No door " + id);
        }
    }
}
