package dev.portcullis.identity.oidc;

import dev.portcullis.kit.auth.AssuranceLevel;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How and when the account authenticated, as tokens report it: RFC 8176 {@code amr} values and the
 * NIST SP 800-63B assurance level as {@code acr}.
 */
public record Authentication(UUID accountId, Instant authTime, List<String> amr, String acr) {

    public static final String AAL1 = AssuranceLevel.AAL1;
    public static final String AAL2 = AssuranceLevel.AAL2;
    public static final String PHR = AssuranceLevel.PHR;

    public static Authentication passwordOnly(UUID accountId, Instant at) {
        return new Authentication(accountId, at, List.of("pwd"), AAL1);
    }

    public static Authentication passwordAndTotp(UUID accountId, Instant at) {
        return new Authentication(accountId, at, List.of("pwd", "otp", "mfa"), AAL2);
    }

    /**
     * Password plus a recovery code. A recovery code is a NIST SP 800-63B look-up secret ("something
     * you have", allowed at AAL2), for which RFC 8176 registers no value: not {@code otp} (no OTP
     * device or app was used) and not {@code kba} (it is not knowledge about the person). So the
     * token names the password and that several factors were used, and nothing it cannot back.
     */
    /**
     * Password plus a passkey with user verification. {@code swk}: a key the server cannot tell is in
     * hardware (no attestation is requested, and passkeys may be synced), so {@code hwk} is not claimed;
     * {@code user}: the authenticator verified the person (UV flag).
     */
    public static Authentication passwordAndPasskey(UUID accountId, Instant at) {
        return new Authentication(accountId, at, List.of("pwd", "swk", "user", "mfa"), PHR);
    }

    public static Authentication passwordAndRecoveryCode(UUID accountId, Instant at) {
        return new Authentication(accountId, at, List.of("pwd", "mfa"), AAL2);
    }
}
