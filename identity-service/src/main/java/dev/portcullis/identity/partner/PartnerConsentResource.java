package dev.portcullis.identity.partner;

import dev.portcullis.identity.login.LoginPages;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.identity.session.SsoSessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The hosted consent page for partner scopes: {@code /consent/partners/{clientId}?scope=unlock}.
 * Plain HTML; the form carries the session's anti-CSRF token and the SSO cookie is SameSite=Lax.
 */
@Path("/consent/partners/{clientId}")
public class PartnerConsentResource {

    static final String SIGNED_OUT = "You are not signed in. Sign in through an application first, then open this page again.";

    @CheckedTemplate(basePath = "consent")
    static class Templates {
        static native TemplateInstance partner(PartnerConsent.Request request, String scope, String csrf);

        static native TemplateInstance granted(PartnerConsent.Request request);

        static native TemplateInstance denied(PartnerConsent.Request request);
    }

    @Inject
    PartnerConsent consent;

    @Inject
    LoginPages pages;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> ask(@PathParam("clientId") String clientId, @QueryParam("scope") String scope,
            @RestCookie(SsoSessions.COOKIE) String cookie) {
        return consent.ask(cookie, clientId, scope).map(outcome -> outcome instanceof PartnerConsent.Ask ask
                ? page(Templates.partner(ask.request(), String.join(" ", ask.request().scopes()), SsoSessions.csrfToken(cookie)))
                : other(outcome));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> decide(@PathParam("clientId") String clientId, @RestForm String scope, @RestForm String csrf,
            @RestForm String decision, @RestCookie(SsoSessions.COOKIE) String cookie) {
        if (!SsoSessions.plausible(cookie) || !Tokens.equal(SsoSessions.csrfToken(cookie), csrf)) {
            return Uni.createFrom().item(pages.error(403, "This form has expired. Open the consent page again."));
        }
        if ("allow".equals(decision)) {
            return consent.allow(cookie, clientId, scope).map(outcome -> outcome instanceof PartnerConsent.Granted granted
                    ? page(Templates.granted(granted.request()))
                    : other(outcome));
        }
        // Anything but an explicit allow grants nothing.
        return consent.ask(cookie, clientId, scope).map(outcome -> outcome instanceof PartnerConsent.Ask ask
                ? page(Templates.denied(ask.request()))
                : other(outcome));
    }

    private Response other(PartnerConsent.Outcome outcome) {
        if (outcome instanceof PartnerConsent.NotFresh) {
            return LoginPages.secured(Response.seeOther(URI.create("/account/security/reauth"))).build();
        }
        if (outcome instanceof PartnerConsent.Refused refused) {
            return pages.error(refused.status(), refused.message());
        }
        return pages.error(401, SIGNED_OUT);
    }

    private static Response page(TemplateInstance template) {
        return LoginPages.secured(Response.ok(template.render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))).build();
    }
}
