package dev.portcullis.command.keys;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** Where the platform's command-signing and key-agreement keys live (files mounted from a secret). */
@ConfigMapping(prefix = "portcullis.platform")
public interface PlatformKeysConfig {

    /** PKCS#8 PEM, Ed25519: signs every command. */
    Path signingKeyFile();

    /** PKCS#8 PEM, X25519: agreed with each lock's key to derive that lock's command key. */
    Path agreementKeyFile();
}
