package dev.portcullis.identity.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.client.OAuthClientRepository;
import dev.portcullis.identity.session.SsoSessions;
import dev.portcullis.identity.signing.TokenSigner;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * OIDC RP-Initiated Logout 1.0: checks the request (an {@code id_token_hint} signed by one of our
 * published keys, expired or not; a {@code post_logout_redirect_uri} registered for exactly that
 * client) and revokes the refresh-token family of the sign-in the ID token belongs to.
 */
@ApplicationScoped
public class Logout {

    @Inject
    SsoSessions sessions;

    @Inject
    TokenSigner signer;

    @Inject
    IdentityConfig config;

    @Inject
    OAuthClientRepository clients;

    @Inject
    TokenGrants tokenGrants;

    private DefaultJWTProcessor<SecurityContext> hints;

    /** Where to send the browser: a redirect URI (state included), or null for the signed-out page. */
    /** Where to send the browser (null: show the signed-out page), and whether its single sign-on session ended. */
    public record Outcome(URI redirect, boolean sessionEnded) {
    }

    /** A request that must not be honoured; answered with an error page and never redirected. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    @PostConstruct
    void init() {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        JWKSource<SecurityContext> keys = (selector, context) -> selector.select(signer.publishedKeys());
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        // The hint may have expired (logout often comes late); it must be ours and name its client.
        p.setJWTClaimsSetVerifier((claims, context) -> {
            if (!config.issuer().equals(claims.getIssuer()) || claims.getSubject() == null
                    || claims.getAudience() == null || claims.getAudience().size() != 1) {
                throw new BadJWTException("not an ID token of this issuer");
            }
        });
        hints = p;
    }

    /**
     * Ends the sign-in. The browser's single sign-on session ends too when the ID token hint names its
     * account, or when the request is a POST (the SameSite=Lax session cookie comes with a POST only
     * from this site's own pages, so another site cannot sign the user out with a hidden form).
     */
    public Uni<Outcome> logout(String idTokenHint, String postLogoutRedirectUri, String state, String clientIdParameter,
            String sessionCookie, boolean post) {
        String client = clientIdParameter;
        String sid = null;
        String hintSubject = null;
        if (idTokenHint != null) {
            JWTClaimsSet claims;
            try {
                claims = hints.process(idTokenHint, null);
            } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
                throw new Refused("The sign-out request carries an ID token this service did not issue.");
            }
            String audience = claims.getAudience().get(0);
            if (client != null && !client.equals(audience)) {
                throw new Refused("The sign-out request names another application than its ID token.");
            }
            client = audience;
            sid = (String) claims.getClaim("sid");
            hintSubject = claims.getSubject();
        }
        String clientId = client;
        String signIn = sid;
        String subject = hintSubject;
        Uni<URI> redirect;
        if (postLogoutRedirectUri == null) {
            redirect = Uni.createFrom().nullItem();
        } else if (clientId == null) {
            throw new Refused("The sign-out request does not say which application it comes from.");
        } else {
            redirect = clients.find(clientId).map(registered -> {
                if (registered == null || !registered.registeredPostLogout(postLogoutRedirectUri)) {
                    throw new Refused("The address to return to after sign-out is not registered for this application.");
                }
                return withState(postLogoutRedirectUri, state);
            });
        }
        return redirect.flatMap(uri -> {
            Uni<Void> revoked = signIn == null ? Uni.createFrom().voidItem() : revokeSignIn(signIn, clientId);
            return revoked.flatMap(ignored -> endSession(sessionCookie, subject, post)).map(ended -> new Outcome(uri, ended));
        });
    }

    private Uni<Boolean> endSession(String cookie, String hintSubject, boolean post) {
        if (cookie == null) {
            return Uni.createFrom().item(false);
        }
        return sessions.find(cookie).flatMap(session -> session != null
                && (post || session.accountId.toString().equals(hintSubject))
                ? sessions.end(cookie)
                : Uni.createFrom().item(false));
    }

    private Uni<Void> revokeSignIn(String sid, String clientId) {
        UUID grant;
        try {
            grant = UUID.fromString(sid);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().voidItem();
        }
        return tokenGrants.revokeSignIn(grant, clientId, "RP-initiated logout");
    }

    static URI withState(String uri, String state) {
        if (state == null) {
            return URI.create(uri);
        }
        String separator = URI.create(uri).getRawQuery() == null ? "?" : "&";
        return URI.create(uri + separator + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
    }

}
