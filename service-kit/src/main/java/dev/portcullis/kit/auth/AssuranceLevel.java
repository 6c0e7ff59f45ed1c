package dev.portcullis.kit.auth;

import java.util.List;

/**
 * The platform's authentication assurance levels, as access tokens carry them in {@code acr}, in one
 * ordered list: {@code aal1} (password only, NIST SP 800-63B AAL1) &lt; {@code aal2} (password plus a
 * second factor) &lt; {@code phr} (password plus a passkey: phishing-resistant, the OpenID EAP ACR
 * value). identity-service issues them, policy-service demands them. An unknown or missing value
 * satisfies nothing, so a requirement never passes by accident.
 */
public final class AssuranceLevel {

    public static final String AAL1 = "aal1";
    public static final String AAL2 = "aal2";
    public static final String PHR = "phr";

    /** Lowest first. */
    public static final List<String> ORDERED = List.of(AAL1, AAL2, PHR);

    private AssuranceLevel() {
    }

    /** Whether {@code actual} is at least {@code required}; false when either is not a known level. */
    public static boolean satisfies(String actual, String required) {
        if (actual == null || required == null) {
            return false;
        }
        int have = ORDERED.indexOf(actual);
        int need = ORDERED.indexOf(required);
        return have >= 0 && need >= 0 && have >= need;
    }

    public static boolean known(String value) {
        return value != null && ORDERED.contains(value);
    }
}
