package dev.portcullis.identity.mfa;

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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The signed-in person's security page: TOTP enrollment, recovery codes, and the re-authentication
 * every change needs when the factor is not fresh. Forms carry an anti-CSRF token derived from the
 * session cookie (and the cookie is SameSite=Lax).
 */
@Path("/account/security")
public class AccountSecurityResource {

    static final String SIGNED_OUT = "You are not signed in. Sign in through an application first.";
    static final String INVALID = "Invalid password or code.";

    @CheckedTemplate(basePath = "account")
    static class Templates {
        static native TemplateInstance security(String csrf, boolean totp, long recoveryCodes, String notice, List<String> passkeys);

        static native TemplateInstance reauth(String csrf, boolean code, String error);

        static native TemplateInstance enroll_totp(String csrf, String secret, String uri, String error);

        static native TemplateInstance recovery_codes(List<String> codes);
    }

    @Inject
    MfaSelfService service;

    @Inject
    LoginPages pages;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> overview(@RestCookie(SsoSessions.COOKIE) String cookie, @QueryParam("done") String done) {
        String notice = "totp".equals(done) ? "Your authenticator app is set up."
                : "passkey".equals(done) ? "Your passkey is added."
                : "passkey-removed".equals(done) ? "The passkey is removed."
                : "reauth".equals(done) ? "You have confirmed it is you. You can make changes for the next few minutes." : null;
        return service.overview(cookie).map(overview -> overview == null ? pages.error(401, SIGNED_OUT)
                : page(200, Templates.security(SsoSessions.csrfToken(cookie), overview.totp(), overview.recoveryCodes(), notice,
                        overview.passkeys())));
    }

    @GET
    @Path("/reauth")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> reauthPage(@RestCookie(SsoSessions.COOKIE) String cookie) {
        return service.overview(cookie).map(overview -> overview == null ? pages.error(401, SIGNED_OUT)
                : page(200, Templates.reauth(SsoSessions.csrfToken(cookie), overview.totp(), null)));
    }

    @POST
    @Path("/reauth")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> reauth(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf, @RestForm String password,
            @RestForm String code) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.reauthenticate(cookie, password, code).flatMap(ok -> {
            if (ok == null) {
                return Uni.createFrom().item(pages.error(401, SIGNED_OUT));
            }
            if (ok) {
                return Uni.createFrom().item(seeOther("/account/security?done=reauth"));
            }
            return service.needsCode(cookie).map(needsCode -> page(401, Templates.reauth(csrf, needsCode, INVALID)));
        });
    }

    @POST
    @Path("/totp")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> startTotp(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.startTotp(cookie).map(result -> answer(result, csrf));
    }

    @POST
    @Path("/totp/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> confirmTotp(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf, @RestForm String code) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.confirmTotp(cookie, code).map(result -> answer(result, csrf));
    }

    @POST
    @Path("/recovery-codes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> recoveryCodes(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.regenerateRecoveryCodes(cookie).map(result -> answer(result, csrf));
    }

    /** WebAuthn creation options (JSON for /assets/webauthn.js); 303 to re-authentication when not fresh. */
    @POST
    @Path("/passkey/options")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> passkeyOptions(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.passkeyOptions(cookie).map(result -> answer(result, csrf));
    }

    @POST
    @Path("/passkey")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> registerPasskey(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf,
            @RestForm("client_data") String clientData, @RestForm("attestation_object") String attestationObject) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.registerPasskey(cookie, clientData, attestationObject).map(result -> answer(result, csrf));
    }

    @POST
    @Path("/passkey/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> removePasskey(@RestCookie(SsoSessions.COOKIE) String cookie, @RestForm String csrf,
            @RestForm("credential_id") String credentialId) {
        if (!csrfOk(cookie, csrf)) {
            return Uni.createFrom().item(forbidden());
        }
        return service.removePasskey(cookie, credentialId).map(result -> answer(result, csrf));
    }

    private Response answer(MfaSelfService.Result result, String csrf) {
        if (result instanceof MfaSelfService.SignedOut) {
            return pages.error(401, SIGNED_OUT);
        }
        if (result instanceof MfaSelfService.NotFresh) {
            // Not fresh enough: re-authenticate, then start the change again.
            return seeOther("/account/security/reauth");
        }
        if (result instanceof MfaSelfService.Refused refused) {
            return pages.error(409, refused.message());
        }
        if (result instanceof MfaSelfService.TotpPending pending) {
            return page(pending.error() == null ? 200 : 401, Templates.enroll_totp(csrf, pending.secret(), pending.uri(), pending.error()));
        }
        if (result instanceof MfaSelfService.PasskeyOptions options) {
            return LoginPages.secured(Response.ok(options.options(), MediaType.APPLICATION_JSON_TYPE)).build();
        }
        if (result instanceof MfaSelfService.Done done && done.message().startsWith("passkey")) {
            return seeOther("/account/security?done=" + done.message());
        }
        if (result instanceof MfaSelfService.RecoveryCodesShown shown) {
            return page(200, Templates.recovery_codes(shown.codes()));
        }
        return seeOther("/account/security?done=totp");
    }

    private static boolean csrfOk(String cookie, String csrf) {
        return SsoSessions.plausible(cookie) && Tokens.equal(SsoSessions.csrfToken(cookie), csrf);
    }

    private Response forbidden() {
        return pages.error(403, "This form has expired. Open the security page again.");
    }

    private static Response seeOther(String path) {
        return LoginPages.secured(Response.seeOther(URI.create(path))).build();
    }

    private static Response page(int status, TemplateInstance template) {
        return LoginPages.secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template.render()))
                .build();
    }
}
