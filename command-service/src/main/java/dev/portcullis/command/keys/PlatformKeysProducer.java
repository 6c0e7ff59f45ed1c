package dev.portcullis.command.keys;

import dev.portcullis.lock.protocol.FilePlatformKeys;
import dev.portcullis.lock.protocol.PlatformKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The platform keys are reached only through {@link PlatformKeys}; an HSM/KMS implementation can replace this. */
@ApplicationScoped
public class PlatformKeysProducer {

    @Produces
    @Singleton
    PlatformKeys platformKeys(PlatformKeysConfig config) {
        return FilePlatformKeys.load(config.signingKeyFile(), config.agreementKeyFile());
    }
}
