package dev.portcullis.console.turnover;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.operator.SignedInOperator;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /turnovers/{id}}: device-registry's turnover report — confirmed and pending counts, each credential with
 * its state and age, the grants policy revoked — reloading itself every few seconds until it is complete.
 */
@Path("/turnovers/{id}")
@RolesAllowed({"operator", "owner"})
public class TurnoverReportPage {

    @Inject
    Peers peers;

    @Inject
    SignedInOperator operator;

    @Inject
    @Location("turnover-report")
    Template reportPage;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> report(@PathParam("id") String id) {
        UUID turnoverId = TurnoverPages.uuid(id, "turnover");
        return Uni.combine().all().unis(peers.getObject(operator, peers.registry(operator, "turnovers/" + turnoverId)),
                        peers.getArray(operator, peers.registry(operator, "doors"))).asTuple()
                .flatMap(found -> {
                    Map<String, String> doorNames = new LinkedHashMap<>();
                    UnitDirectory.objects(found.getItem2()).forEach(door -> doorNames.put(door.getString("id"), door.getString("name")));
                    return reportPage.data("report", TurnoverReport.of(found.getItem1())).data("doorNames", doorNames).createUni();
                });
    }
}
