package dev.portcullis.audit.alert;

import dev.portcullis.audit.query.Caller;
import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Operators' view of their organization's alerts and webhook subscriptions. Another organization's
 * alert or subscription is 404, as if it did not exist.
 */
@Path("/v1")
@RolesAllowed(Caller.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    static final String OWNER = "owner";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    @Inject
    SecurityIdentity identity;

    @Inject
    AlertQuery alerts;

    @Inject
    Subscriptions subscriptions;

    @Inject
    Acknowledgements acknowledgements;

    @GET
    @Path("/alerts")
    @RolesAllowed({Caller.OPERATOR, OWNER})
    public Uni<List<AlertView>> list(@RestQuery String kind, @RestQuery String acknowledged, @RestQuery String limit) {
        AlertKind parsedKind = kind == null ? null : AlertKind.fromWireName(kind).orElseThrow(() -> ProblemException
                .badRequest("invalid-parameter", "kind must be an alert kind").with("parameter", "kind"));
        Boolean parsedAcknowledged;
        if (acknowledged == null) {
            parsedAcknowledged = null;
        } else if (acknowledged.equals("true") || acknowledged.equals("false")) {
            parsedAcknowledged = Boolean.valueOf(acknowledged);
        } else {
            throw ProblemException.badRequest("invalid-parameter", "acknowledged must be true or false").with("parameter", "acknowledged");
        }
        return alerts.list(organization(), parsedKind, parsedAcknowledged, limit(limit));
    }

    @GET
    @Path("/alerts/{id}")
    @RolesAllowed({Caller.OPERATOR, OWNER})
    public Uni<AlertQuery.AlertDetail> get(@RestPath String id) {
        return alerts.get(organization(), uuid(id, "alert"));
    }

    /**
     * Acknowledges an alert of the caller's organization (another organization's: 404), recording who and when
     * in the audit chain; 409 {@code already-acknowledged} when it was acknowledged before (the first stands).
     */
    @POST
    @Path("/alerts/{id}/acknowledgement")
    @RolesAllowed({Caller.OPERATOR, OWNER})
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<AcknowledgementView>> acknowledge(@RestPath String id, Acknowledgement request) {
        UUID alertId = uuid(id, "alert");
        Caller caller = Caller.of(identity);
        return acknowledgements.acknowledge(caller.organizationId(), alertId, caller.subject(), request == null ? null : request.note())
                .map(done -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, done).build());
    }

    @POST
    @Path("/alert-subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<SubscriptionView>> subscribe(NewSubscription request) {
        return subscriptions.create(organization(), request)
                .map(created -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created)
                        .header("Cache-Control", "no-store")
                        .build());
    }

    @GET
    @Path("/alert-subscriptions")
    public Uni<List<SubscriptionView>> subscriptions() {
        return subscriptions.list(organization());
    }

    @GET
    @Path("/alert-subscriptions/{id}")
    public Uni<SubscriptionView> subscription(@RestPath String id) {
        return subscriptions.get(organization(), uuid(id, "webhook subscription"));
    }

    @DELETE
    @Path("/alert-subscriptions/{id}")
    public Uni<RestResponse<Void>> unsubscribe(@RestPath String id) {
        return subscriptions.delete(organization(), uuid(id, "webhook subscription")).map(ignored -> RestResponse.noContent());
    }

    private UUID organization() {
        return Caller.of(identity).organizationId();
    }

    private static UUID uuid(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what);
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid-parameter", "limit must be a whole number from 1 to " + MAX_LIMIT)
                .with("parameter", "limit");
    }
}
