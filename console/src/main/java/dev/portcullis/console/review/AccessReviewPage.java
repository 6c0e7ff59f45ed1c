package dev.portcullis.console.review;

import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * {@code /doors/{id}/access}: who can open the door and when, from policy-service's access review for a range of
 * days (default: from now, 7 days); {@code /doors/{id}/access.csv}: the same as a CSV download, cells re-checked
 * against formula injection.
 */
@Path("/doors/{id}")
@RolesAllowed({"operator", "owner"})
public class AccessReviewPage {

    @Inject
    PolicyClient policy;

    @Inject
    SignedInOperator operator;

    @Inject
    Template access;

    @GET
    @Path("access")
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> show(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        UUID door = door(id);
        return policy.access(operator, door, instant(from, "from", 0), instant(to, "to", 1))
                .flatMap(review -> access.data("review", AccessReview.of(review))
                        .data("doorId", door.toString())
                        .data("from", blank(from) ? "" : from)
                        .data("to", blank(to) ? "" : to)
                        .data("query", query(from, to))
                        .createUni());
    }

    @GET
    @Path("access.csv")
    public Uni<Response> csv(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        UUID door = door(id);
        return policy.accessCsv(operator, door, instant(from, "from", 0), instant(to, "to", 1))
                .map(text -> Response.ok(CsvCells.formulaSafe(text), "text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"door-" + door + "-access.csv\"")
                        .header("Cache-Control", "no-store")
                        .build());
    }

    /** A day (YYYY-MM-DD; the start of that day, or of the next one for the inclusive end, in UTC), or null for policy's default. */
    static String instant(String day, String name, int daysAfter) {
        if (blank(day)) {
            return null;
        }
        try {
            return LocalDate.parse(day.strip()).plusDays(daysAfter).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new PeerRefusedException(400, "Not accepted", name + " must be a day such as 2026-12-03");
        }
    }

    private static String query(String from, String to) {
        StringBuilder query = new StringBuilder();
        if (!blank(from)) {
            query.append("from=").append(java.net.URLEncoder.encode(from.strip(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!blank(to)) {
            query.append(query.isEmpty() ? "" : "&").append("to=")
                    .append(java.net.URLEncoder.encode(to.strip(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return query.isEmpty() ? "" : "?" + query;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static UUID door(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No door " + id);
        }
    }
}
