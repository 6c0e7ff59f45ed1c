package dev.portcullis.identity.partner;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PartnerGrantRepository implements PanacheRepositoryBase<PartnerGrantEntity, UUID> {

    /** The client's unrevoked grants, oldest first. */
    @WithSession
    public Uni<List<PartnerGrantEntity>> active(String clientId) {
        return list("clientId = ?1 and revokedAt is null order by grantedAt, organizationId", clientId);
    }

    @WithSession
    public Uni<PartnerGrantEntity> active(String clientId, UUID organizationId) {
        return find("clientId = ?1 and organizationId = ?2 and revokedAt is null", clientId, organizationId).firstResult();
    }
}
