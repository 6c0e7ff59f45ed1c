package dev.portcullis.policy.door;

import dev.portcullis.kit.auth.AssuranceLevel;
import java.time.Duration;

/**
 * What a door asks of the sign-in behind an unlock: at least {@code requiredAcr} and an
 * {@code auth_time} no older than {@code maxAuthAge}. Either may be null (no requirement).
 */
public record Assurance(String requiredAcr, Duration maxAuthAge) {

    public static final Assurance NONE = new Assurance(null, null);

    public Assurance {
        if (requiredAcr != null && !AssuranceLevel.known(requiredAcr)) {
            throw new IllegalArgumentException("unknown assurance level " + requiredAcr);
        }
        if (maxAuthAge != null && (maxAuthAge.isNegative() || maxAuthAge.isZero())) {
            throw new IllegalArgumentException("the maximum sign-in age must be positive");
        }
    }

    public boolean any() {
        return requiredAcr != null || maxAuthAge != null;
    }
}
