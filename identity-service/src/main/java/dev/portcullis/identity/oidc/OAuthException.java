package dev.portcullis.identity.oidc;

/** An OAuth 2.0 error response (RFC 6749 §5.2 / RFC 6750 §3.1), rendered as JSON with no-store. */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;
    private final String challenge;

    public OAuthException(int status, String error, String description, String challenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.challenge = challenge;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description, null);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(400, "invalid_grant", description, null);
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(401, "invalid_client", description, "Basic realm=\"portcullis\"");
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(400, "unsupported_grant_type", description, null);
    }

    public static OAuthException invalidToken(String description) {
        return new OAuthException(401, "invalid_token", description,
                "Bearer error=\"invalid_token\", error_description=\"" + description.replace("\"", "'") + "\"");
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The WWW-Authenticate challenge, or null. */
    public String challenge() {
        return challenge;
    }
}
