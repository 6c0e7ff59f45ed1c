package dev.portcullis.identity.login;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;

@ApplicationScoped
public class LoginFlowRepository implements PanacheRepositoryBase<LoginFlowEntity, String> {

    /** The flow if it exists and has not expired, locked until the transaction ends; null otherwise. */
    @WithSession
    public Uni<LoginFlowEntity> lockValid(String idHash, OffsetDateTime now) {
        return findById(idHash, LockModeType.PESSIMISTIC_WRITE).map(flow -> flow == null || !now.isBefore(flow.expiresAt) ? null : flow);
    }

    /** The flow if it exists and has not expired; null otherwise. */
    @WithSession
    public Uni<LoginFlowEntity> findValid(String idHash, OffsetDateTime now) {
        return findById(idHash).map(flow -> flow == null || !now.isBefore(flow.expiresAt) ? null : flow);
    }

    /**
     * Deletes a finished flow with a statement of its own instead of {@code session.remove}: under
     * concurrent sign-ins, a flush that had to delete the flow (loaded with a row lock) sometimes never
     * completed, leaving the transaction open for ever (see docs/benchmarks.md). The entity is detached
     * first so the flush does not also write the changes made to it on the way.
     */
    @WithSession
    public Uni<Long> end(LoginFlowEntity flow) {
        return getSession().invoke(session -> session.detach(flow)).flatMap(ignored -> delete("idHash", flow.idHash));
    }

    @WithSession
    public Uni<Long> deleteExpired(OffsetDateTime now) {
        return delete("expiresAt < ?1", now);
    }
}
