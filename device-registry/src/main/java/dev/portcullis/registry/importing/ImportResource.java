package dev.portcullis.registry.importing;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Operator;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code POST .../imports} (text/csv): 202 with the import's status resource when every row is valid (it is
 * then applied in the background), 422 with every problem (row, column, problem) and nothing written when
 * any row is not. {@code GET .../imports/{id}}: status and progress.
 */
@Path("/admin/v1/organizations/{org}/imports")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    static final int MAX_BYTES = 2 * 1024 * 1024;
    static final int MAX_ROWS = 5000;

    @Inject
    SecurityIdentity identity;

    @Inject
    PortfolioImports imports;

    @POST
    @Consumes("text/csv")
    public Uni<Response> submit(@PathParam("org") String org, byte[] body) {
        Operator op = Operator.of(identity, org);
        if (body == null || body.length == 0) {
            throw Checks.invalid("A CSV body is required (text/csv, first line: " + String.join(",", ImportValidator.COLUMNS) + ")");
        }
        if (body.length > MAX_BYTES) {
            throw new ProblemException(413, "request-too-large", "Content too large", "An import must be at most " + MAX_BYTES + " bytes");
        }
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw Checks.invalid("The CSV must be UTF-8");
        }
        if (content.chars().filter(c -> c == '\n').count() > MAX_ROWS + 1) {
            throw new ProblemException(413, "request-too-large", "Content too large", "An import has at most " + MAX_ROWS
                    + " rows; split the file");
        }
        return imports.submit(op, content).map(status -> {
            URI location = URI.create("/admin/v1/organizations/" + op.organizationId() + "/imports/" + status.id());
            if (status.status().equals("REJECTED")) {
                return Response.status(422).type(MediaType.APPLICATION_JSON).entity(status).location(location).build();
            }
            return Response.accepted(status).type(MediaType.APPLICATION_JSON).location(location).build();
        });
    }

    @GET
    @Path("{id}")
    public Uni<PortfolioImports.ImportStatus> get(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID importId = Checks.pathId(id, "The import");
        return imports.get(op.organizationId(), importId).map(status -> {
            if (status == null) {
                throw ProblemException.notFound("The import");
            }
            return status;
        });
    }
}
