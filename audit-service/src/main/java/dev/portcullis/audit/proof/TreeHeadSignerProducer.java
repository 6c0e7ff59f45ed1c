package dev.portcullis.audit.proof;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
public class TreeHeadSignerProducer {

    @Produces
    @Singleton
    TreeHeadSigner treeHeadSigner(TreeHeadConfig config) {
        return FileTreeHeadSigner.from(config);
    }
}
