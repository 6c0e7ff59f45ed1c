package dev.portcullis.lock.protocol;

import java.security.KeyPair;

/** Platform keys held in memory: for tests, and for tools that generate keys. */
public final class InMemoryPlatformKeys extends KeyPairHolder implements PlatformKeys {

    /**
     * @param signing   an Ed25519 key pair
     * @param agreement an X25519 key pair
     * @throws IllegalArgumentException if a pair has the wrong algorithm or its halves do not belong together
     */
    public InMemoryPlatformKeys(KeyPair signing, KeyPair agreement) {
        super(signing, agreement);
    }

    public static InMemoryPlatformKeys generate() {
        return new InMemoryPlatformKeys(KeyMaterial.generateEd25519(), KeyMaterial.generateX25519());
    }
}
