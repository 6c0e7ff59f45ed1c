package dev.portcullis.identity.oidc;

import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.client.OAuthClientEntity;
import dev.portcullis.identity.client.OAuthClientRepository;
import dev.portcullis.identity.client.OAuthClients;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The token endpoint's logic: client authentication, then the authorization_code (with PKCE) or refresh_token grant. */
@ApplicationScoped
public class TokenService {

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    @Inject
    OAuthClientRepository clients;

    @Inject
    OAuthClients clientAuthentication;

    @Inject
    AuthorizationCodes codes;

    @Inject
    AccountRepository accounts;

    @Inject
    TokenGrants tokenGrants;

    @Inject
    RefreshGrant refreshGrant;

    @Inject
    Clock clock;

    /** Credentials from an {@code Authorization: Basic} header (RFC 6749 §2.3.1), or null. */
    record BasicCredentials(String clientId, String secret) {
    }

    @WithSession
    public Uni<TokenMinter.Minted> exchange(Map<String, List<String>> form, String authorization) {
        noRepeatedParameters(form);
        String grantType = value(form, "grant_type");
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        // One branch per grant type; each authenticates the client first.
        return switch (grantType) {
            case "authorization_code" -> authorizationCode(form, authorization);
            case "refresh_token" -> authenticateClient(form, authorization)
                    .flatMap(client -> refreshGrant.exchange(client, value(form, "refresh_token"), value(form, "scope")));
            default -> throw OAuthException.unsupportedGrantType("only authorization_code and refresh_token are supported");
        };
    }

    /**
     * Client authentication for the token, revocation and introspection endpoints: public clients by
     * client_id, confidential clients by HTTP Basic.
     */
    public Uni<OAuthClientEntity> authenticateClient(Map<String, List<String>> form, String authorization) {
        noRepeatedParameters(form);
        if (form.containsKey("client_secret")) {
            throw OAuthException.invalidClient("client_secret_post is not supported; use HTTP Basic");
        }
        BasicCredentials basic = basic(authorization);
        String bodyClientId = value(form, "client_id");
        if (basic != null && bodyClientId != null && !bodyClientId.equals(basic.clientId())) {
            throw OAuthException.invalidRequest("client_id does not match the authenticated client");
        }
        String clientId = basic != null ? basic.clientId() : bodyClientId;
        if (clientId == null) {
            throw OAuthException.invalidClient("client authentication is required");
        }
        return authenticate(clientId, basic);
    }

    private Uni<TokenMinter.Minted> authorizationCode(Map<String, List<String>> form, String authorization) {
        String code = value(form, "code");
        String redirectUri = value(form, "redirect_uri");
        String verifier = value(form, "code_verifier");
        if (code == null || redirectUri == null) {
            throw OAuthException.invalidRequest("code and redirect_uri are required");
        }
        if (verifier == null) {
            throw OAuthException.invalidRequest("code_verifier is required (PKCE)");
        }
        return authenticateClient(form, authorization)
                .flatMap(client -> codes.redeem(code).flatMap(issued -> {
                    if (issued == null) {
                        // Unknown, or presented again: revoke whatever its first redemption issued (RFC 6749 §4.1.2).
                        return tokenGrants.revokeForReusedCode(Tokens.storageKey(code)).map(ignored -> {
                            throw OAuthException.invalidGrant("the code is invalid or was already used");
                        });
                    }
                    check(issued, client, redirectUri, verifier);
                    return accounts.findById(issued.accountId).flatMap(account -> {
                        if (account == null || account.disabled) {
                            throw OAuthException.invalidGrant("the account can no longer sign in");
                        }
                        return tokenGrants.issueForCode(issued, account);
                    });
                }));
    }

    private static void noRepeatedParameters(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw OAuthException.invalidRequest(parameter.getKey() + " must not be repeated");
            }
        }
    }

    private Uni<OAuthClientEntity> authenticate(String clientId, BasicCredentials basic) {
        return clients.find(clientId).flatMap(client -> {
            if (client == null) {
                throw OAuthException.invalidClient("unknown client");
            }
            if (client.publicClient) {
                if (basic != null) {
                    throw OAuthException.invalidClient("a public client has no secret");
                }
                return Uni.createFrom().item(client);
            }
            if (basic == null) {
                throw OAuthException.invalidClient("client authentication is required");
            }
            return clientAuthentication.secretMatches(client, basic.secret()).map(matches -> {
                if (!matches) {
                    throw OAuthException.invalidClient("client authentication failed");
                }
                return client;
            });
        });
    }

    private void check(AuthorizationCodeEntity issued, OAuthClientEntity client, String redirectUri, String verifier) {
        if (issued == null) {
            throw OAuthException.invalidGrant("the code is invalid or was already used");
        }
        if (!issued.clientId.equals(client.clientId)) {
            throw OAuthException.invalidGrant("the code was issued to another client");
        }
        if (!clock.instant().isBefore(issued.expiresAt.toInstant())) {
            throw OAuthException.invalidGrant("the code has expired");
        }
        if (!issued.redirectUri.equals(redirectUri)) {
            throw OAuthException.invalidGrant("redirect_uri differs from the authorization request");
        }
        if (!VERIFIER.matcher(verifier).matches() || !Tokens.equal(Tokens.s256(verifier), issued.codeChallenge)) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    static String value(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    static BasicCredentials basic(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw OAuthException.invalidClient("unsupported client authentication scheme");
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw OAuthException.invalidClient("malformed Basic credentials");
            }
            // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
            return new BasicCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("malformed Basic credentials");
        }
    }
}
