package dev.portcullis.console.action;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer answered 401 {@code insufficient_user_authentication} (RFC 9470): the operator's sign-in is too weak or
 * too old for this action. {@code acrValues} and {@code maxAge} are the challenge's; {@code then} is the console
 * page to come back to after signing in again.
 */
public class StepUpRequiredException extends RuntimeException {

    private static final Pattern ACR_VALUES = Pattern.compile("acr_values=\"([^\"]*)\"");
    private static final Pattern MAX_AGE = Pattern.compile("max_age=\"?(\\d{1,9})\"?");

    private final String acrValues;
    private final Long maxAge;
    private final String then;

    public StepUpRequiredException(String acrValues, Long maxAge, String then) {
        super("step-up required: acr_values=" + acrValues + ", max_age=" + maxAge);
        this.acrValues = acrValues;
        this.maxAge = maxAge;
        this.then = then;
    }

    /** The challenge of a {@code WWW-Authenticate} header, or null when it is not an insufficient-authentication one. */
    public static StepUpRequiredException fromChallenge(String wwwAuthenticate) {
        if (wwwAuthenticate == null || !wwwAuthenticate.contains("insufficient_user_authentication")) {
            return null;
        }
        Matcher acr = ACR_VALUES.matcher(wwwAuthenticate);
        Matcher age = MAX_AGE.matcher(wwwAuthenticate);
        return new StepUpRequiredException(acr.find() ? acr.group(1) : null, age.find() ? Long.parseLong(age.group(1)) : null, "/");
    }

    public StepUpRequiredException returningTo(String page) {
        return new StepUpRequiredException(acrValues, maxAge, page);
    }

    public String acrValues() {
        return acrValues;
    }

    public Long maxAge() {
        return maxAge;
    }

    public String then() {
        return then;
    }
}
