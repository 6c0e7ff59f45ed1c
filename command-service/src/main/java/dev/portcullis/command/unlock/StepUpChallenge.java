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
        StringBuilder challenge = new StringBuilder("Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A stronger or more recent sign-in is required for this door\"");
        if (attempt.stepUpAcrValues != null && attempt.stepUpAcrValues.matches("[A-Za-z0-9._: -]+")) {
            challenge.append(", acr_values=\"").append(attempt.stepUpAcrValues).append('"');
        }
        if (attempt.stepUpMaxAge != null) {
            challenge.append(", max_age=\"").append(attempt.stepUpMaxAge).append('"');
        }
        return challenge.toString();
    }
}
