package dev.portcullis.identity.login;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;

/** The sign-in form posts: password, then TOTP. */
@Path("/login")
public class LoginResource {

    @Inject
    LoginFlows flows;

    @Inject
    LoginSecondFactors secondFactors;

    @Inject
    LoginPages pages;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> password(@RestForm String flow, @RestForm String username, @RestForm String password,
            @RestCookie(LoginPages.FLOW_COOKIE) String cookie) {
        return flows.password(flow, cookie, username, password).map(pages::render);
    }

    @POST
    @Path("/totp")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> totp(@RestForm String flow, @RestForm String code, @RestCookie(LoginPages.FLOW_COOKIE) String cookie) {
        return flows.totp(flow, cookie, code).map(pages::render);
    }

    @POST
    @Path("/recovery")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> recovery(@RestForm String flow, @RestForm("recovery_code") String code,
            @RestCookie(LoginPages.FLOW_COOKIE) String cookie) {
        return secondFactors.recovery(flow, cookie, code).map(pages::render);
    }

    @POST
    @Path("/enroll-totp")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> enrollTotp(@RestForm String flow, @RestForm String code, @RestCookie(LoginPages.FLOW_COOKIE) String cookie) {
        return secondFactors.confirmEnrollment(flow, cookie, code).map(pages::render);
    }

    /** WebAuthn request options for the flow's second step (JSON for /assets/webauthn.js). */
    @POST
    @Path("/passkey/options")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> passkeyOptions(@RestForm String flow, @RestCookie(LoginPages.FLOW_COOKIE) String cookie) {
        return secondFactors.passkeyOptions(flow, cookie).map(options -> options == null
                ? LoginPages.secured(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(java.util.Map.of("error", "no_passkey"))).build()
                : LoginPages.secured(Response.ok(options, MediaType.APPLICATION_JSON_TYPE)).build());
    }

    @POST
    @Path("/passkey")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> passkey(@RestForm String flow, @RestForm("credential_id") String credentialId,
            @RestForm("client_data") String clientData, @RestForm("authenticator_data") String authenticatorData,
            @RestForm String signature, @RestForm("user_handle") String userHandle, @RestCookie(LoginPages.FLOW_COOKIE) String cookie) {
        return secondFactors.passkey(flow, cookie, credentialId, clientData, authenticatorData, signature, userHandle)
                .map(pages::render);
    }
}
