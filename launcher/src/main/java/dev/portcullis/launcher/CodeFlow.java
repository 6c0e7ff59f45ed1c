package dev.portcullis.launcher;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** One authorization-code + PKCE (S256) sign-in of the CLI client, done with the Nimbus OIDC client. */
final class CodeFlow {

    static final String CLIENT_ID = "portcullis-cli";
    static final URI REDIRECT_URI = URI.create("http://127.0.0.1:53682/callback");

    private final OIDCProviderMetadata provider;
    private final CodeVerifier verifier = new CodeVerifier();
    private final State state = new State();

    CodeFlow(URI issuer) throws IOException, GeneralException {
        this.provider = OIDCProviderMetadata.resolve(new Issuer(issuer.toString()));
    }

    /** Where the browser (or a headless stand-in) starts. */
    URI authorizationUri() {
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new Scope("openid", "profile", "unlock"),
                new ClientID(CLIENT_ID), REDIRECT_URI)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /** Checks the callback's state and exchanges its code (with the PKCE verifier) for tokens. */
    OIDCTokens exchange(URI callback, Map<String, String> headers) throws ParseException, IOException {
        AuthorizationResponse response = AuthorizationResponse.parse(callback);
        if (!response.indicatesSuccess() || !state.equals(response.getState())) {
            throw new IllegalStateException("authorization failed: " + callback.getQuery());
        }
        HTTPRequest request = new TokenRequest(provider.getTokenEndpointURI(), new ClientID(CLIENT_ID),
                new AuthorizationCodeGrant(((AuthorizationSuccessResponse) response).getAuthorizationCode(), REDIRECT_URI, verifier))
                .toHTTPRequest();
        headers.forEach(request::setHeader);
        TokenResponse tokens = OIDCTokenResponseParser.parse(request.send());
        if (!tokens.indicatesSuccess()) {
            throw new IllegalStateException("token request failed: " + tokens.toErrorResponse().getErrorObject());
        }
        return ((OIDCTokenResponse) tokens.toSuccessResponse()).getOIDCTokens();
    }
}
