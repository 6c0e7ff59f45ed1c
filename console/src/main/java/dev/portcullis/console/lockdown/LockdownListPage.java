package dev.portcullis.console.lockdown;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.operator.SignedInOperator;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code /lockdown}: policy-service's properties of the organization with their lockdown, each with its switch. */
@Path("/lockdown")
@RolesAllowed({"operator", "owner"})
public class LockdownListPage {

    @Inject
    Peers peers;

    @Inject
    SignedInOperator operator;

    @Inject
    @Location("lockdown-list")
    Template list;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> properties() {
        return peers.getArray(operator, peers.policy(operator, "properties")).flatMap(array -> {
            List<PropertyLockdown> properties = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                properties.add(PropertyLockdown.of(array.getJsonObject(i)));
            }
            properties.sort(Comparator.comparing(PropertyLockdown::name, String.CASE_INSENSITIVE_ORDER));
            return list.data("properties", properties).createUni();
        });
    }
}
