package dev.portcullis.identity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.portcullis.identity.client.OAuthClientEntity;
import dev.portcullis.identity.secret.Tokens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationValidationTest {

    private static final String REDIRECT = "http://127.0.0.1:53682/callback";

    private static OAuthClientEntity client() {
        OAuthClientEntity client = new OAuthClientEntity();
        client.clientId = "portcullis-cli";
        client.name = "Portcullis CLI";
        client.redirectUris = new String[] {REDIRECT};
        client.allowedScopes = new String[] {"openid", "profile", "unlock"};
        client.publicClient = true;
        return client;
    }

    private static Map<String, List<String>> valid() {
        Map<String, List<String>> params = new HashMap<>();
        params.put("client_id", List.of("portcullis-cli"));
        params.put("redirect_uri", List.of(REDIRECT));
        params.put("response_type", List.of("code"));
        params.put("scope", List.of("openid unlock"));
        params.put("state", List.of("s-1"));
        params.put("nonce", List.of("n-1"));
        params.put("code_challenge", List.of(Tokens.s256("a".repeat(43))));
        params.put("code_challenge_method", List.of("S256"));
        return params;
    }

    private static AuthorizationValidation.ErrorRedirect redirected(Map<String, List<String>> params) {
        return assertInstanceOf(AuthorizationValidation.ErrorRedirect.class, AuthorizationValidation.validate(params, client()));
    }

    @Test
    void aCompleteRequestIsValid() {
        var valid = assertInstanceOf(AuthorizationValidation.Valid.class, AuthorizationValidation.validate(valid(), client()));
        assertEquals(List.of("openid", "unlock"), valid.request().scopes());
        assertEquals("s-1", valid.request().state());
        assertEquals("n-1", valid.request().nonce());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:53682/other", "http://127.0.0.1:53682/callback/", "http://127.0.0.1:53682/callback?x=1",
            "http://127.0.0.1:53682/CALLBACK", "HTTP://127.0.0.1:53682/callback", "http://localhost:53682/callback",
            "http://127.0.0.1:53683/callback", "http://127.0.0.1:53682/callback#f", ""})
    void anyRedirectUriButTheRegisteredOneIsAnErrorPage(String redirect) {
        Map<String, List<String>> params = valid();
        params.put("redirect_uri", List.of(redirect));
        assertInstanceOf(AuthorizationValidation.ErrorPage.class, AuthorizationValidation.validate(params, client()));
    }

    @Test
    void clientProblemsAreErrorPages() {
        Map<String, List<String>> params = valid();
        assertInstanceOf(AuthorizationValidation.ErrorPage.class, AuthorizationValidation.validate(params, null));
        params.remove("redirect_uri");
        assertInstanceOf(AuthorizationValidation.ErrorPage.class, AuthorizationValidation.validate(params, client()));
        params = valid();
        params.put("redirect_uri", List.of(REDIRECT, "http://attacker.example/cb"));
        assertInstanceOf(AuthorizationValidation.ErrorPage.class, AuthorizationValidation.validate(params, client()));
        params = valid();
        params.remove("client_id");
        assertInstanceOf(AuthorizationValidation.ErrorPage.class, AuthorizationValidation.validate(params, client()));
    }

    @Test
    void pkceIsRequiredWithS256() {
        Map<String, List<String>> params = valid();
        params.remove("code_challenge");
        assertEquals("invalid_request", redirected(params).error());

        params = valid();
        params.remove("code_challenge_method");
        assertEquals("invalid_request", redirected(params).error());

        params = valid();
        params.put("code_challenge_method", List.of("plain"));
        assertEquals("invalid_request", redirected(params).error());

        params = valid();
        params.put("code_challenge", List.of("too-short"));
        assertEquals("invalid_request", redirected(params).error());
    }

    @Test
    void otherProblemsGoBackToTheClientWithTheState() {
        Map<String, List<String>> params = valid();
        params.put("response_type", List.of("token"));
        AuthorizationValidation.ErrorRedirect error = redirected(params);
        assertEquals("unsupported_response_type", error.error());
        assertEquals("s-1", error.state());
        assertEquals(REDIRECT, error.redirectUri());

        params = valid();
        params.put("scope", List.of("profile unlock"));
        assertEquals("invalid_scope", redirected(params).error());

        params = valid();
        params.put("scope", List.of("openid admin"));
        assertEquals("invalid_scope", redirected(params).error());

        // prompt, max_age and acr_values are judged against the sign-on session (SingleSignOnTest), not here.
        params = valid();
        params.put("prompt", List.of("none"));
        assertInstanceOf(AuthorizationValidation.Valid.class, AuthorizationValidation.validate(params, client()));

        params = valid();
        params.put("scope", List.of("openid", "openid profile"));
        assertEquals("invalid_request", redirected(params).error());
    }
}
