package dev.portcullis.identity.session;

import dev.portcullis.identity.oidc.AcrLevels;
import dev.portcullis.identity.oidc.AuthorizationValidation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an authorization request demands of the person's authentication (OIDC Core §3.1.2.1, RFC 9470):
 * {@code prompt} (none / login), {@code max_age} in seconds, and the lowest acceptable {@code acr}.
 */
public record AuthenticationRequirements(boolean none, boolean login, Long maxAge, String requiredAcr) {

    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    /** A malformed parameter: the error goes back to the client as {@code invalid_request}. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static AuthenticationRequirements parse(Map<String, List<String>> params) throws Invalid {
        String prompt = AuthorizationValidation.single(params, "prompt");
        List<String> prompts = prompt == null ? List.of() : Arrays.stream(prompt.split(" ")).filter(p -> !p.isEmpty()).toList();
        if (!PROMPTS.containsAll(prompts)) {
            return invalid("unknown prompt value");
        }
        boolean none = prompts.contains("none");
        if (none && prompts.size() > 1) {
            return invalid("prompt=none cannot be combined with other values");
        }
        String maxAgeParam = AuthorizationValidation.single(params, "max_age");
        Long maxAge = null;
        if (maxAgeParam != null) {
            if (!maxAgeParam.matches("[0-9]{1,9}")) {
                return invalid("max_age must be a non-negative number of seconds");
            }
            maxAge = Long.parseLong(maxAgeParam);
        }
        String acrValues = AuthorizationValidation.single(params, "acr_values");
        return new AuthenticationRequirements(none, prompts.contains("login"), maxAge, AcrLevels.minimum(acrValues));
    }

    private static AuthenticationRequirements invalid(String message) throws Invalid {
        throw new Invalid(message);
    }
}
