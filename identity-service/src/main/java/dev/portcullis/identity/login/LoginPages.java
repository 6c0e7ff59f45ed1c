package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.session.SsoSessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/**
 * The sign-in pages (plain HTML, no scripts) and the headers every one of them carries: no caching,
 * no framing, nothing loaded from anywhere but this origin.
 */
@ApplicationScoped
public class LoginPages {

    public static final String FLOW_COOKIE = "portcullis_flow";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'";

    @CheckedTemplate(basePath = "login")
    static class Templates {
        static native TemplateInstance password(String flow, String clientName, String error);

        static native TemplateInstance totp(String flow, String error, boolean passkey);

        static native TemplateInstance error(String message);

        static native TemplateInstance enroll_totp(String flow, String secret, String uri, String error);
    }

    @Inject
    IdentityConfig config;

    /** The first page of a new flow, setting the flow cookie. */
    public Response start(String flow, String clientName) {
        return page(200, Templates.password(flow, clientName, null)).cookie(flowCookie(flow, false)).build();
    }

    /** The first page of a flow that starts after the password (step-up), setting the flow cookie. */
    public Response start(String flow, LoginStep first) {
        Response rendered = render(first);
        return Response.fromResponse(rendered).cookie(flowCookie(flow, false)).build();
    }

    public Response error(int status, String message) {
        return page(status, Templates.error(message)).build();
    }

    public Response render(LoginStep step) {
        if (step instanceof LoginStep.PasswordPage page) {
            return page(page.status(), Templates.password(page.flow(), page.clientName(), page.error())).build();
        }
        if (step instanceof LoginStep.TotpPage page) {
            return page(page.status(), Templates.totp(page.flow(), page.error(), false)).build();
        }
        if (step instanceof LoginStep.SecondFactorPage page) {
            return page(page.status(), Templates.totp(page.flow(), page.error(), page.passkey())).build();
        }
        if (step instanceof LoginStep.EnrollTotpPage page) {
            return page(page.status(), Templates.enroll_totp(page.flow(), page.secret(), page.uri(), page.error())).build();
        }
        if (step instanceof LoginStep.SignedIn signedIn) {
            return secured(Response.status(Response.Status.FOUND).header("Location", signedIn.location()))
                    .cookie(flowCookie("", true), sessionCookie(signedIn.session())).build();
        }
        if (step instanceof LoginStep.Redirect redirect) {
            return secured(Response.status(Response.Status.FOUND).header("Location", redirect.location()))
                    .cookie(flowCookie("", true)).build();
        }
        LoginStep.Dead dead = (LoginStep.Dead) step;
        return page(400, Templates.error(dead.message())).cookie(flowCookie("", true)).build();
    }

    private static Response.ResponseBuilder page(int status, TemplateInstance template) {
        return secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template.render()));
    }

    public static Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
    }

    /** The single sign-on cookie: whole site, HttpOnly, SameSite=Lax, Secure on https. */
    public NewCookie sessionCookie(String value) {
        return new NewCookie.Builder(SsoSessions.COOKIE)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(config.issuer().startsWith("https://"))
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) config.ssoSessionLifetime().toSeconds())
                .build();
    }

    /** Tells the browser to drop the single sign-on cookie (sign-out). */
    public NewCookie expiredSessionCookie() {
        return new NewCookie.Builder(SsoSessions.COOKIE)
                .value("")
                .path("/")
                .httpOnly(true)
                .secure(config.issuer().startsWith("https://"))
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge(0)
                .build();
    }

    private NewCookie flowCookie(String value, boolean expire) {
        return new NewCookie.Builder(FLOW_COOKIE)
                .value(value)
                .path("/login")
                .httpOnly(true)
                .secure(config.issuer().startsWith("https://"))
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge(expire ? 0 : (int) config.loginFlowLifetime().toSeconds())
                .build();
    }
}
