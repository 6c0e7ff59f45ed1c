package dev.portcullis.identity;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import dev.portcullis.identity.secret.Tokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebAuthn authenticator in software (JDK P-256 keys, webauthn4j's CBOR encoders) for HTTP-level
 * tests: it answers creation and request options the way a browser + authenticator would, with knobs
 * for what an attacker or a broken authenticator would change (origin, rp id, UV flag, counter).
 */
public final class SoftwareAuthenticator {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectConverter CONVERTER = new ObjectConverter();

    private final KeyPair keys;
    private final byte[] credentialId = new byte[16];
    private long counter;

    public SoftwareAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    public String credentialId() {
        return B64URL.encodeToString(credentialId);
    }

    public long counter() {
        return counter;
    }

    private static String clientData(String type, String challenge, String origin) {
        return "{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin + "\",\"crossOrigin\":false}";
    }

    private static byte flags(boolean userVerified, boolean attested) {
        byte flags = AuthenticatorData.BIT_UP;
        if (userVerified) {
            flags |= AuthenticatorData.BIT_UV;
        }
        if (attested) {
            flags |= AuthenticatorData.BIT_AT;
        }
        return flags;
    }

    /** The registration response fields (client_data, attestation_object) for a challenge. */
    public Map<String, String> register(String challenge, String origin, String rpId, boolean userVerified) {
        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(
                Tokens.sha256(rpId), flags(userVerified, true), counter, attested);
        byte[] attestation = new AttestationObjectConverter(CONVERTER).convertToBytes(new AttestationObject(data,
                new NoneAttestationStatement()));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_data", B64URL.encodeToString(clientData("webauthn.create", challenge, origin).getBytes(StandardCharsets.UTF_8)));
        fields.put("attestation_object", B64URL.encodeToString(attestation));
        return fields;
    }

    /** The authentication response fields for a challenge, advancing the counter by one. */
    public Map<String, String> authenticate(String challenge, String origin, String rpId, boolean userVerified) {
        return authenticate(challenge, origin, rpId, userVerified, ++counter);
    }

    /** The authentication response fields with the given counter value. */
    public Map<String, String> authenticate(String challenge, String origin, String rpId, boolean userVerified, long signCount) {
        AuthenticatorData<AuthenticationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(Tokens.sha256(rpId),
                flags(userVerified, false), signCount);
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(data);
        byte[] clientData = clientData("webauthn.get", challenge, origin).getBytes(StandardCharsets.UTF_8);
        byte[] signed = ByteBuffer.allocate(authenticatorData.length + 32).put(authenticatorData).put(Tokens.sha256(clientData)).array();
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(signed);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("credential_id", credentialId());
            fields.put("client_data", B64URL.encodeToString(clientData));
            fields.put("authenticator_data", B64URL.encodeToString(authenticatorData));
            fields.put("signature", B64URL.encodeToString(signature.sign()));
            fields.put("user_handle", "");
            return fields;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
