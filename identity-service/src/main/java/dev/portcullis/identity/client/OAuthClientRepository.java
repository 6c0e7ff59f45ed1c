package dev.portcullis.identity.client;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class OAuthClientRepository implements PanacheRepositoryBase<OAuthClientEntity, String> {

    /** The client, or null when the id is unknown. */
    @WithSession
    public Uni<OAuthClientEntity> find(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 200) {
            return Uni.createFrom().nullItem();
        }
        return findById(clientId);
    }
}
