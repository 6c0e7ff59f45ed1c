package dev.portcullis.identity.partner;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.vertx.mutiny.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The demo partner platform: a private_key_jwt client whose public JWKS is read from the configured
 * file ({@code portcullis.identity.partners.demo-jwks-file}), granted {@code unlock} by the demo
 * organization. The private key stays with whoever generated the file (the launcher).
 */
@ApplicationScoped
public class DemoPartner {

    public static final String CLIENT_ID = "portcullis-demo-partner";

    @Inject
    PartnerClients partners;

    @Inject
    Vertx vertx;

    /** Reads the JWKS (non-blocking), then registers the client and the organization's grant. */
    public Uni<Void> seed(Path jwksFile, UUID organizationId) {
        return vertx.fileSystem().readFile(jwksFile.toString())
                .map(buffer -> buffer.toString(StandardCharsets.UTF_8))
                .flatMap(jwks -> partners.register(CLIENT_ID, "Demo partner platform", jwks, List.of("unlock")))
                .flatMap(ignored -> partners.grant(CLIENT_ID, organizationId, List.of("unlock"), null))
                .replaceWithVoid();
    }
}
