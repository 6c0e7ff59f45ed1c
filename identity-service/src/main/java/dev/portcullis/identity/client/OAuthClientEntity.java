package dev.portcullis.identity.client;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered OAuth 2.0 client. */
@Entity
@Table(name = "oauth_client")
public class OAuthClientEntity {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(nullable = false)
    public String name;

    /** Compared to the request's redirect_uri by exact string equality (no normalization). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "redirect_uris", nullable = false, columnDefinition = "text[]")
    public String[] redirectUris;

    /** Public clients (native apps, the CLI) cannot keep a secret; they rely on PKCE alone. */
    @Column(name = "public_client", nullable = false)
    public boolean publicClient;

    /** Argon2id (PHC) of the secret of a confidential client. */
    @Column(name = "secret_hash")
    public String secretHash;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_scopes", nullable = false, columnDefinition = "text[]")
    public String[] allowedScopes;

    /** Where RP-initiated logout may send the browser back; exact string equality, like redirect_uris. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "post_logout_redirect_uris", nullable = false, columnDefinition = "text[]")
    public String[] postLogoutRedirectUris = new String[0];

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** RFC 7591: none, client_secret_basic or private_key_jwt (see {@link dev.portcullis.identity.partner.PartnerClients}). */
    @Column(name = "token_endpoint_auth_method", nullable = false)
    public String tokenEndpointAuthMethod;

    /** The public JWKS (JSON) of a private_key_jwt client; null for every other client. */
    @Column(name = "jwks")
    public String jwks;

    /** Public and secret-based clients derive their method; private_key_jwt clients set it with their keys. */
    @PrePersist
    @PreUpdate
    void deriveAuthMethod() {
        if (jwks == null) {
            tokenEndpointAuthMethod = publicClient ? "none" : "client_secret_basic";
        }
    }

    public boolean usesPrivateKeyJwt() {
        return dev.portcullis.identity.partner.PartnerClients.PRIVATE_KEY_JWT.equals(tokenEndpointAuthMethod) && jwks != null;
    }

    public boolean registered(String redirectUri) {
        return redirectUri != null && Arrays.asList(redirectUris).contains(redirectUri);
    }

    public boolean registeredPostLogout(String uri) {
        return uri != null && postLogoutRedirectUris != null && Arrays.asList(postLogoutRedirectUris).contains(uri);
    }

    public boolean allows(List<String> scopes) {
        return Arrays.asList(allowedScopes).containsAll(scopes);
    }
}
