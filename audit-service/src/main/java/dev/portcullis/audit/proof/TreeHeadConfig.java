package dev.portcullis.audit.proof;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.audit.tree-heads")
public interface TreeHeadConfig {

    /** PKCS#8 PEM, Ed25519, followed by its PUBLIC KEY block (mounted from a secret; never in the database). */
    Path signingKeyFile();

    /** Generate the key file when it does not exist (local mesh and tests only). */
    @WithDefault("false")
    boolean generateSigningKey();

    /** How often a tree head is signed when the log has grown since the last one. */
    @WithDefault("10s")
    Duration interval();

    /** Entries added to the tree per database transaction. */
    @WithDefault("2000")
    int batchSize();
}
