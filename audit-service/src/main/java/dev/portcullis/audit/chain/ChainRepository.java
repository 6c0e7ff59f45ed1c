package dev.portcullis.audit.chain;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The audit entries and the chain head. */
@ApplicationScoped
public class ChainRepository implements PanacheRepositoryBase<AuditEntryEntity, Long> {

    /** The head as last committed (no lock). */
    @WithSession
    public Uni<ChainHead> head() {
        return getSession()
                .flatMap(session -> session.createSelectionQuery("from ChainHeadEntity where id = :id", ChainHeadEntity.class)
                        .setParameter("id", ChainHeadEntity.ID)
                        .getSingleResult())
                .map(row -> new ChainHead(row.sequence, row.hash));
    }

    /** Entries {@code [from, to]} in sequence order, at most {@code limit} of them. */
    @WithSession
    public Uni<List<AuditEntryEntity>> range(long from, long to, int limit) {
        return find("sequence >= ?1 and sequence <= ?2 order by sequence", from, to).range(0, limit - 1).list();
    }

    @WithSession
    public Uni<AuditEntryEntity> findBySequence(long sequence) {
        return findById(sequence);
    }
}
