package dev.portcullis.command.unlock;

/**
 * The RFC 9470 challenge for an unlock that needs a step-up:
 * {@code Bearer error="insufficient_user_authentication", error_description="…", acr_values="aal2", max_age="900"}.
 * The values come from policy (acr level names and a number), so they need no escaping beyond a check.
 */
final class StepUpChallenge {

    private StepUpChallenge() {
    }

    static String of(ActionAttemptEntity attempt) {
        return of("A stronger or more recent sign-in is required for this door", attempt.stepUpAcrValues, attempt.stepUpMaxAge);
    }

    /** @param description fixed text of this service (no quotes); acrValues and maxAge may be null */
    static String of(String description, String acrValues, Long maxAge) {
        StringBuilder challenge = new StringBuilder("Bearer error=\"insufficient_user_authentication\", error_description=\"")
                .append(description).append('"');
        if (acrValues != null && acrValues.matches("[A-Za-z0-9._: -]+")) {
            challenge.append(", acr_values=\"").append(acrValues).append('"');
        }
        if (maxAge != null) {
            challenge.append(", max_age=\"").append(maxAge).append('"');
        }
        return challenge.toString();
    }
}
