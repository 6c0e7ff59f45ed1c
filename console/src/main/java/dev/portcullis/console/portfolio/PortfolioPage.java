package dev.portcullis.console.portfolio;

import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.registry.RegistryClient;
import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code /portfolio}: properties → doors → locks with their health. {@code /} leads operators here. */
@Path("/")
@RolesAllowed({"operator", "owner"})
public class PortfolioPage {

    @Inject
    RegistryClient registry;

    @Inject
    SignedInOperator operator;

    @Inject
    Template portfolio;

    @Inject
    SecurityIdentity identity;

    /** The start: operators to their portfolio, everybody else (tenants, guests, staff) to their doors. */
    @GET
    @Authenticated
    public Response home() {
        boolean operator = identity.hasRole("operator") || identity.hasRole("owner");
        return Response.seeOther(URI.create(operator ? "/portfolio" : "/me")).build();
    }

    @GET
    @Path("portfolio")
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> portfolio() {
        return Uni.combine().all().unis(registry.properties(operator), registry.doors(operator), registry.locks(operator))
                .with(Portfolio::of)
                .flatMap(tree -> portfolio.data("portfolio", tree).createUni());
    }
}
