package dev.portcullis.lock.protocol;

import java.security.KeyPair;
import java.security.PublicKey;

/** An Ed25519 signing key pair and an X25519 agreement key pair held in memory. */
class KeyPairHolder {

    private final KeyPair signing;
    private final KeyPair agreement;
    private final String signingKeyId;
    private final String agreementKeyId;

    KeyPairHolder(KeyPair signing, KeyPair agreement) {
        this.signing = KeyMaterial.checkedEd25519(signing);
        this.agreement = KeyMaterial.checkedX25519(agreement);
        this.signingKeyId = KeyIds.of(signing.getPublic());
        this.agreementKeyId = KeyIds.of(agreement.getPublic());
    }

    public String signingKeyId() {
        return signingKeyId;
    }

    public PublicKey signingPublicKey() {
        return signing.getPublic();
    }

    public byte[] sign(byte[] message) {
        return KeyMaterial.sign(signing.getPrivate(), message);
    }

    public String agreementKeyId() {
        return agreementKeyId;
    }

    public PublicKey agreementPublicKey() {
        return agreement.getPublic();
    }

    public byte[] agree(PublicKey peerX25519) {
        return KeyMaterial.agree(agreement.getPrivate(), peerX25519);
    }

    final KeyPair signingPair() {
        return signing;
    }

    final KeyPair agreementPair() {
        return agreement;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[signing=" + signingKeyId + ", agreement=" + agreementKeyId + "]";
    }
}
