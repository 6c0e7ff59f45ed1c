package dev.portcullis.identity.login;

import dev.portcullis.identity.oidc.AuthorizationRequest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

/** A sign-in in progress: the authorization request it serves and how far the person got. */
@Entity
@Table(name = "login_flow")
public class LoginFlowEntity {

    public static final String STAGE_PASSWORD = "password";
    public static final String STAGE_TOTP = "totp";
    /** The account has no second factor but must have one: a new TOTP seed awaits its first code. */
    public static final String STAGE_ENROLL_TOTP = "enroll_totp";

    /** Base64url SHA-256 of the flow id (the id itself lives only in the browser). */
    @Id
    @Column(name = "id_hash")
    public String idHash;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "redirect_uri", nullable = false)
    public String redirectUri;

    @Column(nullable = false)
    public String scope;

    public String state;

    public String nonce;

    @Column(name = "code_challenge", nullable = false)
    public String codeChallenge;

    @Column(nullable = false)
    public String stage;

    /** The account whose password was verified (stage totp). */
    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "password_at")
    public OffsetDateTime passwordAt;

    /** The lowest acr the request accepts (from acr_values), or null for any. */
    @Column(name = "required_acr")
    public String requiredAcr;

    /** Stage enroll_totp: the seed being enrolled, sealed like {@code account.totp_secret}. */
    @Column(name = "pending_totp_secret")
    public byte[] pendingTotpSecret;

    /** A WebAuthn challenge (base64url) issued for this flow's second step; single use. */
    @Column(name = "webauthn_challenge")
    public String webauthnChallenge;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    public AuthorizationRequest request(String clientName) {
        return new AuthorizationRequest(clientId, clientName, redirectUri, Arrays.asList(scope.split(" ")), state, nonce,
                codeChallenge);
    }
}
