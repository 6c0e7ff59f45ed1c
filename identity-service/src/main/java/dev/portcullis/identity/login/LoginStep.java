package dev.portcullis.identity.login;

/** What the browser sees next in a sign-in. */
public sealed interface LoginStep {

    /** The username/password page (again, with {@code error} after a failed attempt). */
    record PasswordPage(String flow, String clientName, int status, String error) implements LoginStep {
    }

    /** The TOTP page (again, with {@code error} after a wrong code). */
    record TotpPage(String flow, int status, String error) implements LoginStep {
    }

    /** The second step with every factor the account has: TOTP code, passkey (when registered), recovery code. */
    record SecondFactorPage(String flow, boolean passkey, int status, String error) implements LoginStep {
    }

    /** Forced TOTP enrollment: the new secret (as text and otpauth URI) and a field for its first code. */
    record EnrollTotpPage(String flow, String secret, String uri, int status, String error) implements LoginStep {
    }

    /** The sign-in is complete and started a single sign-on session: back to the client with the code. */
    record SignedIn(String location, String session) implements LoginStep {
    }

    /** The sign-in is complete: back to the client with the authorization code. */
    record Redirect(String location) implements LoginStep {
    }

    /** The flow is unknown, expired, or not bound to this browser: an error page, never a redirect. */
    record Dead(String message) implements LoginStep {
    }
}
