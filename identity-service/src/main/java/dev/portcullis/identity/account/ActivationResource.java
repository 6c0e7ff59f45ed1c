package dev.portcullis.identity.account;

import dev.portcullis.identity.login.LoginPages;
import dev.portcullis.identity.password.PasswordPolicy;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The hosted activation page of an invitation: plain HTML, no scripts. The invitee chooses a password
 * (the password policy applies); the invitation is then used up and the page points to sign-in.
 */
@Path("/activate")
public class ActivationResource {

    static final String INVALID = "This invitation link is invalid, has expired or was already used. Ask your administrator for a new one.";

    @CheckedTemplate(basePath = "login")
    static class Templates {
        static native TemplateInstance activate(String token, String username, String displayName, int minLength, String error);

        static native TemplateInstance activated(boolean mfaRequired);
    }

    @Inject
    Activations activations;

    @Inject
    LoginPages pages;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> form(@RestQuery String token) {
        return activations.pending(token).map(pending -> pending
                .map(p -> page(200, form(token, p, null)))
                .orElseGet(() -> pages.error(400, INVALID)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> activate(@RestForm String token, @RestForm String password, @RestForm String confirmation) {
        return activations.activate(token, password, confirmation).map(outcome -> {
            if (outcome instanceof Activations.Outcome.Activated activated) {
                return LoginPages.secured(Response.seeOther(java.net.URI.create(
                        "/activate/done" + (activated.mfaRequired() ? "?mfa=required" : "")))).build();
            }
            if (outcome instanceof Activations.Outcome.Refused refused) {
                return page(422, form(token, refused.pending(), refused.reason()));
            }
            return pages.error(400, INVALID);
        });
    }

    @GET
    @Path("/done")
    @Produces(MediaType.TEXT_HTML)
    public Response done(@RestQuery String mfa) {
        return page(200, Templates.activated("required".equals(mfa)));
    }

    private static TemplateInstance form(String token, Activations.Pending pending, String error) {
        return Templates.activate(token, pending.account().username, pending.account().displayName,
                pending.passwordOnly() ? PasswordPolicy.MIN_LENGTH_ONLY_FACTOR : PasswordPolicy.MIN_LENGTH, error);
    }

    private static Response page(int status, TemplateInstance template) {
        return LoginPages.secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template.render()))
                .build();
    }
}
