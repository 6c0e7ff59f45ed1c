package dev.portcullis.audit.proof;

import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import org.jboss.logging.Logger;

/** The tree-head key from a PEM file ({@link TreeHeadKeys} format). */
public final class FileTreeHeadSigner implements TreeHeadSigner {

    private static final Logger LOG = Logger.getLogger(FileTreeHeadSigner.class);

    private final KeyPair pair;
    private final String keyId;

    private FileTreeHeadSigner(KeyPair pair) {
        this.pair = pair;
        this.keyId = TreeHeadKeys.keyId(pair.getPublic());
    }

    public static FileTreeHeadSigner from(TreeHeadConfig config) {
        if (config.generateSigningKey() && !Files.exists(config.signingKeyFile())) {
            TreeHeadKeys.generate(config.signingKeyFile());
            LOG.infof("generated the tree-head signing key %s", config.signingKeyFile());
        }
        return new FileTreeHeadSigner(TreeHeadKeys.load(config.signingKeyFile()));
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public PublicKey publicKey() {
        return pair.getPublic();
    }

    @Override
    public byte[] sign(byte[] message) {
        return TreeHeadKeys.sign(pair.getPrivate(), message);
    }
}
