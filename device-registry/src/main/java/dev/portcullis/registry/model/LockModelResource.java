package dev.portcullis.registry.model;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.model.LockModelViews.LockModel;
import dev.portcullis.registry.model.LockModelViews.LockModelBody;
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
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Lock models of an organization: manufacturer, model, credential types, capacities, end of support, firmware key. */
@Path("/admin/v1/organizations/{org}/lock-models")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LockModelResource {

    /** The largest capacity a model may declare (sanity bound, far above any lock sold). */
    static final int MAX_CAPACITY = 100_000;

    @Inject
    SecurityIdentity identity;

    @Inject
    Db db;

    @Inject
    Clock clock;

    @Inject
    SupportConfig support;

    private static final String SELECT = "SELECT " + LockModel.columns("m") + " FROM lock_model m";

    LockModel view(io.vertx.mutiny.sqlclient.Row row) {
        return LockModel.of(row, LocalDate.now(clock.withZone(ZoneOffset.UTC)), support.endingSoonDays());
    }

    @GET
    public Uni<List<LockModel>> list(@PathParam("org") String org) {
        Operator op = Operator.of(identity, org);
        return db.list(SELECT + " WHERE m.organization_id = $1 ORDER BY m.manufacturer, m.model", this::view, op.organizationId());
    }

    @GET
    @Path("{id}")
    public Uni<LockModel> get(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID modelId = Checks.pathId(id, "The lock model");
        return db.one(SELECT + " WHERE m.organization_id = $1 AND m.id = $2", this::view, op.organizationId(), modelId)
                .map(model -> {
                    if (model == null) {
                        throw ProblemException.notFound("The lock model");
                    }
                    return model;
                });
    }

    @POST
    public Uni<Response> create(@PathParam("org") String org, LockModelBody body) {
        Operator op = Operator.of(identity, org);
        Valid valid = validate(body);
        UUID id = UUID.randomUUID();
        return db.inTransaction(sql -> Db.exec(sql, "INSERT INTO lock_model (id, organization_id, manufacturer, model, credential_types,"
                + " max_users, max_credentials, end_of_support, firmware_signing_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                id, op.organizationId(), valid.manufacturer, valid.model, valid.types, valid.maxUsers, valid.maxCredentials,
                valid.endOfSupport, valid.key))
                .flatMap(x -> get(org, id.toString()))
                .map(model -> Response.status(201).entity(model).type(MediaType.APPLICATION_JSON).build());
    }

    @PUT
    @Path("{id}")
    public Uni<LockModel> update(@PathParam("org") String org, @PathParam("id") String id, LockModelBody body) {
        Operator op = Operator.of(identity, org);
        UUID modelId = Checks.pathId(id, "The lock model");
        Valid valid = validate(body);
        return db.inTransaction(sql -> Db.exec(sql, "UPDATE lock_model SET manufacturer = $3, model = $4, credential_types = $5,"
                + " max_users = $6, max_credentials = $7, end_of_support = $8, firmware_signing_key = $9"
                + " WHERE organization_id = $1 AND id = $2", op.organizationId(), modelId, valid.manufacturer, valid.model, valid.types,
                valid.maxUsers, valid.maxCredentials, valid.endOfSupport, valid.key)
                // Locks report their model's name through the DeviceRegistry look-ups: keep it in step.
                .flatMap(updated -> updated == 0 ? Uni.createFrom().item(updated)
                        : Db.exec(sql, "UPDATE lock SET model = $3 WHERE organization_id = $1 AND lock_model_id = $2",
                                op.organizationId(), modelId, valid.model).map(x -> updated)))
                .flatMap(updated -> {
                    if (updated == 0) {
                        throw ProblemException.notFound("The lock model");
                    }
                    return get(org, id);
                });
    }

    private record Valid(String manufacturer, String model, String[] types, int maxUsers, int maxCredentials, LocalDate endOfSupport,
            io.vertx.core.buffer.Buffer key) {
    }

    private static Valid validate(LockModelBody body) {
        Checks.body(body);
        String manufacturer = Checks.name(body.manufacturer(), "manufacturer", 200);
        String model = Checks.name(body.model(), "model", 128);
        if (body.credentialTypes() == null || body.credentialTypes().isEmpty()) {
            throw Checks.invalid("credentialTypes must list at least one of " + List.of(CredentialType.values()));
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : body.credentialTypes()) {
            try {
                types.add(CredentialType.valueOf(String.valueOf(type)).name());
            } catch (IllegalArgumentException e) {
                throw Checks.invalid("credentialTypes: unknown type; use " + List.of(CredentialType.values()));
            }
        }
        int maxUsers = capacity(body.maxUsers(), "maxUsers");
        int maxCredentials = capacity(body.maxCredentials(), "maxCredentials");
        if (maxCredentials < maxUsers) {
            throw Checks.invalid("maxCredentials must be at least maxUsers (every user holds at least one credential)");
        }
        io.vertx.core.buffer.Buffer key = null;
        if (body.firmwareSigningKey() != null) {
            try {
                key = io.vertx.core.buffer.Buffer.buffer(PublicKeys.ed25519(Base64.getDecoder().decode(body.firmwareSigningKey().strip())).getEncoded());
            } catch (IllegalArgumentException e) {
                throw Checks.invalid("firmwareSigningKey must be an Ed25519 public key (base64 X.509 SubjectPublicKeyInfo, DER)");
            }
        }
        return new Valid(manufacturer, model, types.toArray(String[]::new), maxUsers, maxCredentials, body.endOfSupport(), key);
    }

    private static int capacity(Integer value, String field) {
        if (value == null) {
            throw Checks.invalid(field + " is required");
        }
        if (value < 1 || value > MAX_CAPACITY) {
            throw Checks.invalid(field + " must be between 1 and " + MAX_CAPACITY);
        }
        return value;
    }
}
