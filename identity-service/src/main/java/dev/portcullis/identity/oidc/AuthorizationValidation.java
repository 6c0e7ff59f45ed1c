package dev.portcullis.identity.oidc;

import dev.portcullis.identity.client.OAuthClientEntity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates authorization requests. Problems with the client or the redirect URI are shown to the
 * user and never redirected (the redirect target is not trusted yet, RFC 6749 §4.1.2.1); everything
 * else goes back to the client's registered redirect URI as an error.
 */
public final class AuthorizationValidation {

    /** A base64url SHA-256 digest: exactly 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final int MAX_STATE = 1024;
    private static final Set<String> SINGLE = Set.of("client_id", "redirect_uri", "response_type", "response_mode", "scope",
            "state", "nonce", "code_challenge", "code_challenge_method", "prompt", "max_age", "acr_values", "login_hint");

    private AuthorizationValidation() {
    }

    /** The outcome of validation. */
    public sealed interface Result {
    }

    /** Show an error page to the user; do not redirect. */
    public record ErrorPage(String message) implements Result {
    }

    /** Redirect the error to the (verified) redirect URI. */
    public record ErrorRedirect(String redirectUri, String error, String description, String state) implements Result {
    }

    public record Valid(AuthorizationRequest request) implements Result {
    }

    public static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean repeated(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values != null && values.size() > 1;
    }

    /**
     * @param params the request's parameters (query or form)
     * @param client the client named by {@code client_id}, or null when it is unknown
     */
    public static Result validate(Map<String, List<String>> params, OAuthClientEntity client) {
        String clientId = single(params, "client_id");
        if (clientId == null || clientId.isEmpty() || repeated(params, "client_id")) {
            return new ErrorPage("The application did not identify itself (client_id is missing).");
        }
        if (client == null) {
            return new ErrorPage("The application is not registered with Portcullis.");
        }
        String redirectUri = single(params, "redirect_uri");
        if (redirectUri == null || repeated(params, "redirect_uri")) {
            return new ErrorPage("The application did not say where to return to (redirect_uri is missing).");
        }
        if (!client.registered(redirectUri)) {
            return new ErrorPage("The application asked to return to an address that is not registered for it.");
        }

        String state = single(params, "state");
        if (state != null && state.length() > MAX_STATE) {
            return new ErrorRedirect(redirectUri, "invalid_request", "state is too long", null);
        }
        for (String name : SINGLE) {
            if (repeated(params, name)) {
                return new ErrorRedirect(redirectUri, "invalid_request", name + " must not be repeated", state);
            }
        }
        if (params.containsKey("request")) {
            return new ErrorRedirect(redirectUri, "request_not_supported", "request objects are not supported", state);
        }
        if (params.containsKey("request_uri")) {
            return new ErrorRedirect(redirectUri, "request_uri_not_supported", "request_uri is not supported", state);
        }
        String responseType = single(params, "response_type");
        if (responseType == null || responseType.isEmpty()) {
            return new ErrorRedirect(redirectUri, "invalid_request", "response_type is required", state);
        }
        if (!responseType.equals("code")) {
            return new ErrorRedirect(redirectUri, "unsupported_response_type", "only response_type=code is supported", state);
        }
        String responseMode = single(params, "response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            return new ErrorRedirect(redirectUri, "invalid_request", "only response_mode=query is supported", state);
        }
        String scope = single(params, "scope");
        List<String> scopes = scope == null ? List.of() : Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).distinct().toList();
        if (!scopes.contains("openid")) {
            return new ErrorRedirect(redirectUri, "invalid_scope", "the openid scope is required", state);
        }
        if (!scopes.stream().allMatch(s -> SCOPE_TOKEN.matcher(s).matches()) || !client.allows(scopes)) {
            return new ErrorRedirect(redirectUri, "invalid_scope", "a requested scope is not allowed for this client", state);
        }
        String challenge = single(params, "code_challenge");
        if (challenge == null || challenge.isEmpty()) {
            return new ErrorRedirect(redirectUri, "invalid_request", "code_challenge is required (PKCE with S256)", state);
        }
        if (!"S256".equals(single(params, "code_challenge_method"))) {
            return new ErrorRedirect(redirectUri, "invalid_request", "code_challenge_method must be S256", state);
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            return new ErrorRedirect(redirectUri, "invalid_request", "code_challenge is not a base64url SHA-256 digest", state);
        }
        String nonce = single(params, "nonce");
        if (nonce != null && nonce.length() > MAX_STATE) {
            return new ErrorRedirect(redirectUri, "invalid_request", "nonce is too long", state);
        }
        // prompt, max_age and acr_values are checked against the sign-on session: login.AuthenticationRequirements.
        return new Valid(new AuthorizationRequest(client.clientId, client.name, redirectUri, scopes, state, nonce, challenge));
    }
}
