package dev.portcullis.identity.mfa;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * WebAuthn (passkeys) with webauthn4j: options for the browser, and verification of registration and
 * authentication responses. The relying party id is the issuer's host and the only accepted origin is
 * the issuer; user verification is required; no attestation is requested ({@code none}); the
 * challenge is 256 random bits, stored with the flow or session it belongs to and spent on first use;
 * the signature counter must grow whenever the authenticator keeps one.
 */
@ApplicationScoped
public class Passkeys {

    private static final Logger LOG = Logger.getLogger(Passkeys.class);
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder B64URL_OUT = Base64.getUrlEncoder().withoutPadding();
    static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter credentialData = new AttestedCredentialDataConverter(new ObjectConverter());

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    public String rpId() {
        return URI.create(config.issuer()).getHost();
    }

    private ServerProperty serverProperty(String challenge) {
        return new ServerProperty(new Origin(config.issuer()), rpId(), new DefaultChallenge(B64URL.decode(challenge)));
    }

    @WithSession
    public Uni<List<WebAuthnCredentialEntity>> of(UUID accountId) {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("from WebAuthnCredentialEntity where accountId = :account order by createdAt",
                        WebAuthnCredentialEntity.class)
                .setParameter("account", accountId).getResultList());
    }

    /** PublicKeyCredentialCreationOptions (as JSON for the page's script). */
    public Map<String, Object> creationOptions(AccountEntity account, String challenge, List<WebAuthnCredentialEntity> existing) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", challenge);
        options.put("rp", Map.of("id", rpId(), "name", "Portcullis"));
        ByteBuffer userId = ByteBuffer.allocate(16).putLong(account.id.getMostSignificantBits()).putLong(account.id.getLeastSignificantBits());
        options.put("user", Map.of("id", B64URL_OUT.encodeToString(userId.array()), "name", account.username,
                "displayName", account.displayName));
        options.put("pubKeyCredParams", ALGORITHMS.stream().map(p -> Map.of("type", "public-key", "alg", p.getAlg().getValue())).toList());
        options.put("timeout", 120_000);
        options.put("attestation", "none");
        options.put("authenticatorSelection", Map.of("userVerification", "required", "residentKey", "preferred"));
        options.put("excludeCredentials", existing.stream().map(c -> Map.of("type", "public-key", "id", c.credentialId)).toList());
        return Map.of("mode", "create", "publicKey", options);
    }

    /** PublicKeyCredentialRequestOptions (as JSON for the page's script). */
    public Map<String, Object> requestOptions(String challenge, List<WebAuthnCredentialEntity> allowed) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", challenge);
        options.put("rpId", rpId());
        options.put("timeout", 120_000);
        options.put("userVerification", "required");
        options.put("allowCredentials", allowed.stream().map(c -> Map.of("type", "public-key", "id", c.credentialId)).toList());
        return Map.of("mode", "get", "publicKey", options);
    }

    /** Verifies a registration response; the new credential (not yet persisted), or null when it fails. */
    public WebAuthnCredentialEntity verifyRegistration(UUID accountId, String challenge, String clientDataJson, String attestationObject) {
        try {
            RegistrationData data = manager.verify(new RegistrationRequest(B64URL.decode(attestationObject), B64URL.decode(clientDataJson)),
                    new RegistrationParameters(serverProperty(challenge), ALGORITHMS, true, true));
            AuthenticatorData<?> authenticatorData = data.getAttestationObject().getAuthenticatorData();
            AttestedCredentialData attested = authenticatorData.getAttestedCredentialData();
            WebAuthnCredentialEntity credential = new WebAuthnCredentialEntity();
            credential.credentialId = B64URL_OUT.encodeToString(attested.getCredentialId());
            credential.accountId = accountId;
            credential.attestedCredentialData = credentialData.convert(attested);
            credential.signCount = authenticatorData.getSignCount();
            credential.uvInitialized = authenticatorData.isFlagUV();
            credential.backupEligible = authenticatorData.isFlagBE();
            credential.backupState = authenticatorData.isFlagBS();
            credential.createdAt = clock.instant().atOffset(ZoneOffset.UTC);
            return credential;
        } catch (RuntimeException e) {
            LOG.debugf("passkey registration rejected: %s", e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * Verifies an authentication response for a stored credential (origin, rp id, challenge, UP and UV,
     * signature, counter); on success advances the stored counter. False when it fails.
     */
    public boolean verifyAuthentication(WebAuthnCredentialEntity credential, String challenge, String credentialId,
            String clientDataJson, String authenticatorData, String signature, String userHandle) {
        try {
            byte[] id = B64URL.decode(credentialId);
            AttestedCredentialData attested = credentialData.convert(credential.attestedCredentialData);
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), credential.uvInitialized,
                    credential.backupEligible, credential.backupState, credential.signCount, attested, null, null, null, null);
            AuthenticationData data = manager.verify(new AuthenticationRequest(id,
                    userHandle == null || userHandle.isEmpty() ? null : B64URL.decode(userHandle),
                    B64URL.decode(authenticatorData), B64URL.decode(clientDataJson), B64URL.decode(signature)),
                    new AuthenticationParameters(serverProperty(challenge), record, List.of(id), true, true));
            credential.signCount = data.getAuthenticatorData().getSignCount();
            credential.lastUsedAt = clock.instant().atOffset(ZoneOffset.UTC);
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("passkey assertion rejected: %s", e.getClass().getSimpleName());
            return false;
        }
    }
}
