package dev.portcullis.identity.oidc;

import java.util.List;

/** A validated authorization request (RFC 6749 §4.1.1 + RFC 7636 + OIDC Core §3.1.2.1). */
public record AuthorizationRequest(String clientId, String clientName, String redirectUri, List<String> scopes,
        String state, String nonce, String codeChallenge) {

    public String scope() {
        return String.join(" ", scopes);
    }
}
