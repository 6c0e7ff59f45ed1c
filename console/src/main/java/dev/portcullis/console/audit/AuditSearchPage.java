package dev.portcullis.console.audit;

import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import dev.portcullis.console.registry.RegistryClient;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /audit}: search the organization's audit log (door, lock, credential, property, from/to days) through
 * audit-service's {@code GET /v1/audit}; "Export (verified)" ({@code verify=1}) fetches the export of the entries
 * found (their sequence range, same filters) with its proofs, verifies it here with the audit-verifier library against
 * the signed tree head and shows the result; {@code /audit/export.jsonl} hands out the export only once it verified.
 */
@Path("/audit")
@RolesAllowed({"operator", "owner"})
public class AuditSearchPage {

    static final int LIMIT = 100;

    @Inject
    AuditClient audit;

    @Inject
    RegistryClient registry;

    @Inject
    ExportVerification verification;

    @Inject
    SignedInOperator operator;

    @Inject
    @Location("audit-search")
    Template auditSearch;

    @Inject
    Template problem;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> search(@QueryParam("doorId") String doorId, @QueryParam("lockId") String lockId,
            @QueryParam("credentialId") String credentialId, @QueryParam("propertyId") String propertyId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("verify") String verify) {
        Map<String, String> form = form(doorId, lockId, credentialId, propertyId, from, to);
        Map<String, String> filters = new LinkedHashMap<>(ids(form));
        filters.put("from", day(form.get("from"), "from", 0));
        filters.put("to", day(form.get("to"), "to", 1));
        filters.put("limit", String.valueOf(LIMIT));
        return Uni.combine().all().unis(registry.doors(operator), audit.entries(operator, filters)).asTuple()
                .flatMap(both -> {
                    Map<String, String> names = AuditRows.doorNames(both.getItem1());
                    List<AuditRows.Row> rows = AuditRows.of(both.getItem2(), names);
                    Map<String, String> export = exportFilters(form, rows);
                    Uni<ExportCheck> check = export != null && verify != null
                            ? verification.fetchAndVerify(operator, export)
                            : Uni.createFrom().nullItem();
                    return check.flatMap(result -> auditSearch.data("rows", rows)
                            .data("form", form)
                            .data("doors", AuditRows.choices(names, form.get("doorId")))
                            .data("more", both.getItem2().getValue("nextCursor") != null)
                            .data("searchQuery", query(form))
                            .data("exportQuery", export == null ? null : query(export))
                            .data("exportFrom", export == null ? null : export.get("from"))
                            .data("exportTo", export == null ? null : export.get("to"))
                            .data("check", result)
                            .createUni());
                });
    }

    /** The export, only when it verified; otherwise a page naming the verifier's finding. */
    @GET
    @Path("export.jsonl")
    public Uni<Response> download(@QueryParam("doorId") String doorId, @QueryParam("lockId") String lockId,
            @QueryParam("credentialId") String credentialId, @QueryParam("propertyId") String propertyId,
            @QueryParam("from") String fromSequence, @QueryParam("to") String toSequence) {
        Map<String, String> filters = new LinkedHashMap<>(ids(form(doorId, lockId, credentialId, propertyId, null, null)));
        filters.put("from", sequence(fromSequence, "from"));
        filters.put("to", sequence(toSequence, "to"));
        return verification.fetchAndVerify(operator, filters).map(check -> check.verified()
                ? Response.ok(check.text(), "application/x-ndjson; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"audit-export-" + check.treeSize() + ".jsonl\"")
                        .header("Portcullis-Verified-Tree-Size", check.treeSize())
                        .header("Cache-Control", "no-store")
                        .build()
                : Response.status(Response.Status.BAD_GATEWAY).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .entity(problem.data("title", "Export not verified")
                                .data("message", "audit-service's export did not verify, so it is not offered: " + check.failure())
                                .data("status", 502).render())
                        .build());
    }

    private static Map<String, String> form(String doorId, String lockId, String credentialId, String propertyId, String from, String to) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("doorId", trimmed(doorId));
        form.put("lockId", trimmed(lockId));
        form.put("credentialId", trimmed(credentialId));
        form.put("propertyId", trimmed(propertyId));
        form.put("from", trimmed(from));
        form.put("to", trimmed(to));
        return form;
    }

    private static Map<String, String> ids(Map<String, String> form) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : List.of("doorId", "lockId", "credentialId", "propertyId")) {
            if (form.get(name) != null) {
                ids.put(name, form.get(name));
            }
        }
        return ids;
    }

    /** The export of what was found: the results' sequence range with the same identifier filters; null when none. */
    private static Map<String, String> exportFilters(Map<String, String> form, List<AuditRows.Row> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, String> export = new LinkedHashMap<>(ids(form));
        export.put("from", String.valueOf(rows.stream().mapToLong(AuditRows.Row::sequence).min().orElseThrow()));
        export.put("to", String.valueOf(rows.stream().mapToLong(AuditRows.Row::sequence).max().orElseThrow()));
        return export;
    }

    private static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String day(String day, String name, int daysAfter) {
        if (day == null) {
            return null;
        }
        try {
            return LocalDate.parse(day).plusDays(daysAfter).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new PeerRefusedException(400, "Not accepted", name + " must be a day such as 2026-12-03");
        }
    }

    private static String sequence(String value, String name) {
        try {
            long sequence = Long.parseLong(value);
            if (sequence >= 1) {
                return String.valueOf(sequence);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new PeerRefusedException(400, "Not accepted", name + " must be an entry sequence (a whole number from 1)");
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
