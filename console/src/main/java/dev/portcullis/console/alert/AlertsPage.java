package dev.portcullis.console.alert;

import dev.portcullis.console.audit.AuditClient;
import dev.portcullis.console.audit.AuditRows;
import dev.portcullis.console.form.FormToken;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import dev.portcullis.console.registry.RegistryClient;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code /alerts}: the organization's alerts from audit-service, open ones first, each with severity, kind, door or
 * lock and age; an open alert has an Acknowledge form (POST {@code /alerts} with this sign-in's form token) that
 * calls audit-service's {@code POST /v1/alerts/{id}/acknowledgement} with the operator's token.
 */
@Path("/alerts")
@RolesAllowed({"operator", "owner"})
public class AlertsPage {

    static final int LIMIT = 200;

    @Inject
    AuditClient audit;

    @Inject
    RegistryClient registry;

    @Inject
    SignedInOperator operator;

    @Inject
    FormToken formTokens;

    @Inject
    Template alerts;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> show(@QueryParam("acknowledged") String acknowledged, @QueryParam("already") String already) {
        return Uni.combine().all().unis(registry.doors(operator), audit.alerts(operator, LIMIT)).asTuple()
                .flatMap(both -> {
                    var rows = AlertRow.of(both.getItem2(), AuditRows.doorNames(both.getItem1()), Instant.now());
                    return alerts.data("rows", rows)
                            .data("openCount", rows.stream().filter(AlertRow::open).count())
                            .data("acknowledged", id(acknowledged))
                            .data("already", id(already))
                            .data("csrfField", FormToken.FIELD)
                            .data("csrf", formTokens.of(operator))
                            .createUni();
                });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> acknowledge(@FormParam("alert") String alert, @FormParam("note") String note,
            @FormParam(FormToken.FIELD) String token) {
        formTokens.check(operator, token);
        String alertId = id(alert);
        if (alertId == null) {
            throw new NotFoundException("No alert " + alert);
        }
        return audit.acknowledge(operator, alertId, note)
                .map(done -> Response.seeOther(URI.create("/alerts?acknowledged=" + alertId)).build())
                .onFailure(e -> e instanceof PeerRefusedException refused && refused.status() == 409)
                .recoverWithItem(() -> Response.seeOther(URI.create("/alerts?already=" + alertId)).build());
    }

    private static String id(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
