package dev.portcullis.identity.oidc;

import dev.portcullis.kit.auth.AssuranceLevel;
import java.util.List;

/**
 * The {@code acr} values this provider issues, weakest first (NIST SP 800-63B authenticator assurance
 * levels): {@code aal1} = password only; {@code aal2} = password plus a second factor (TOTP or a
 * recovery code); {@code phr} = password plus a passkey (phishing-resistant: the WebAuthn signature is
 * bound to this origin; the value and its meaning follow the OpenID EAP ACR values, which also define
 * {@code phrh} for attested hardware, not claimed here). Their order is the platform's one list,
 * {@link AssuranceLevel#ORDERED}, which policy-service uses too; discovery publishes {@link #SUPPORTED}.
 */
public final class AcrLevels {

    /** Weakest first. */
    public static final List<String> SUPPORTED = AssuranceLevel.ORDERED;

    private AcrLevels() {
    }

    /** The rank of a level (higher is stronger), or -1 when this provider does not know it. */
    public static int rank(String acr) {
        return acr == null ? -1 : SUPPORTED.indexOf(acr);
    }

    /** Whether {@code have} is at least as strong as {@code want} (a null {@code want} asks for nothing). */
    public static boolean satisfies(String have, String want) {
        return want == null || rank(have) >= rank(want);
    }

    /**
     * The lowest level an {@code acr_values} request accepts: the weakest known value it lists
     * (OIDC Core §3.1.2.1, RFC 9470 §4); unknown values are ignored. Null when none is known.
     */
    public static String minimum(String acrValues) {
        if (acrValues == null) {
            return null;
        }
        String lowest = null;
        for (String value : acrValues.split(" ")) {
            if (rank(value) >= 0 && (lowest == null || rank(value) < rank(lowest))) {
                lowest = value;
            }
        }
        return lowest;
    }
}
