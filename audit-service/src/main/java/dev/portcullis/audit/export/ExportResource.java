package dev.portcullis.audit.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.proof.TreeHeadView;
import dev.portcullis.audit.query.Caller;
import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /v1/audit/export?format=jsonl|csv&from=&to=&doorId=&lockId=&credentialId=&propertyId=&limit=}: the caller's
 * organization's entries, ascending, for operators. JSON Lines: the signed tree head on the first
 * line, then each entry with its inclusion proof against it (verifies offline with audit-verifier).
 * CSV: the columns and hashes, for spreadsheets. More entries than {@code limit}: the response's
 * {@code Portcullis-Next-From} header is the {@code from} of the next page.
 */
@Path("/v1/audit/export")
public class ExportResource {

    public static final String NEXT_FROM = "Portcullis-Next-From";
    public static final String JSON_LINES = "application/jsonl";

    private static final List<String> CSV_COLUMNS = List.of("sequence", "event_id", "recorded_at", "occurred_at", "event_type",
            "actor_type", "actor_id", "method", "door_id", "lock_id", "action_attempt_id", "outcome", "reasons", "entry_hash",
            "previous_hash");

    @Inject
    SecurityIdentity identity;

    @Inject
    AuditExport export;

    @Inject
    ObjectMapper json;

    @GET
    @RolesAllowed("operator")
    public Uni<Response> export(@RestQuery String format, @RestQuery String from, @RestQuery String to, @RestQuery String doorId,
            @RestQuery String lockId, @RestQuery String credentialId, @RestQuery String propertyId, @RestQuery String limit) {
        boolean jsonLines = "jsonl".equals(format);
        if (!jsonLines && !"csv".equals(format)) {
            throw ProblemException.badRequest("invalid-parameter", "format must be jsonl or csv").with("parameter", "format");
        }
        ExportFilter filter = ExportFilter.parse(from, to, doorId, lockId, credentialId, propertyId, limit);
        Caller caller = Caller.of(identity);
        return export.page(caller.organizationId(), filter, jsonLines).map(page -> {
            Response.ResponseBuilder response = Response.ok(jsonLines ? jsonLines(page) : csv(page))
                    .type(jsonLines ? JSON_LINES + "; charset=utf-8" : "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"audit-export." + format + "\"");
            if (page.nextFrom() != null) {
                response.header(NEXT_FROM, page.nextFrom());
            }
            return response.build();
        });
    }

    private String jsonLines(AuditExport.Page page) {
        StringBuilder out = new StringBuilder();
        try {
            out.append(json.writeValueAsString(TreeHeadView.of(page.treeHead()))).append('\n');
            for (ExportedEntry entry : page.entries()) {
                out.append(json.writeValueAsString(entry)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String csv(AuditExport.Page page) {
        StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (ExportedEntry e : page.entries()) {
            List<Object> fields = java.util.Arrays.asList(e.sequence(), e.eventId(), e.recordedAt(), e.occurredAt(), e.eventType(),
                    e.actorType(), e.actorId(), e.method(), e.doorId(), e.lockId(), e.actionAttemptId(), e.outcome(),
                    String.join(";", e.reasons()), e.entryHash(), e.previousHash());
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(field(fields.get(i)));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** RFC 4180 quoting; a text that a spreadsheet would run as a formula gets a leading apostrophe. */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            text = '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
