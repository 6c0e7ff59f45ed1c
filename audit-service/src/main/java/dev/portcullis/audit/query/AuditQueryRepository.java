package dev.portcullis.audit.query;

import dev.portcullis.audit.chain.AuditEntryEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads entries for a caller: never outside the caller's organization, and only their own unless operator. */
@ApplicationScoped
public class AuditQueryRepository implements PanacheRepositoryBase<AuditEntryEntity, Long> {

    @Inject
    RetentionConfig retention;

    /** Up to {@code max} entries, newest first. */
    @WithSession
    public Uni<List<AuditEntryEntity>> find(Caller caller, AuditFilter filter, int max) {
        StringBuilder where = new StringBuilder("organizationId = :organization");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("organization", caller.organizationId());
        if (!caller.operator()) {
            where.append(" and actorId = :subject");
            parameters.put("subject", caller.subject());
        }
        if (filter.doorId() != null) {
            where.append(" and doorId = :door");
            parameters.put("door", filter.doorId());
        }
        if (filter.lockId() != null) {
            where.append(" and lockId = :lock");
            parameters.put("lock", filter.lockId());
        }
        if (filter.actionAttemptId() != null) {
            where.append(" and actionAttemptId = :attempt");
            parameters.put("attempt", filter.actionAttemptId());
        }
        if (filter.actorId() != null) {
            where.append(" and actorId = :actor");
            parameters.put("actor", filter.actorId());
        }
        if (filter.type() != null) {
            where.append(" and eventType = :type");
            parameters.put("type", filter.type());
        }
        if (filter.outcome() != null) {
            where.append(" and outcome = :outcome");
            parameters.put("outcome", filter.outcome());
        }
        if (filter.method() != null) {
            where.append(" and method = :method");
            parameters.put("method", filter.method());
        }
        if (filter.credentialId() != null) {
            where.append(" and sequence in (select c.sequence from EntryCredentialEntity c"
                    + " where c.organizationId = :organization and c.credentialId = :credential)");
            parameters.put("credential", filter.credentialId());
        }
        if (filter.propertyId() != null) {
            where.append(" and doorId in (select d.doorId from DoorPropertyEntity d"
                    + " where d.organizationId = :organization and d.propertyId = :property)");
            parameters.put("property", filter.propertyId());
        }
        if (filter.from() != null) {
            where.append(" and occurredAt >= :from");
            parameters.put("from", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            where.append(" and occurredAt < :to");
            parameters.put("to", filter.to().atOffset(ZoneOffset.UTC));
        }
        retention.periodFor(caller.organizationId()).ifPresent(period -> {
            where.append(" and recordedAt >= :retainedFrom");
            parameters.put("retainedFrom", OffsetDateTime.now(ZoneOffset.UTC).minus(period));
        });
        if (filter.after() != null) {
            where.append(" and sequence < :after");
            parameters.put("after", filter.after());
        }
        return find(where.toString(), Sort.descending("sequence"), parameters).range(0, max - 1).list();
    }

    /** The method (pin, card, biometric) each of these credentials was issued with, as recorded by CredentialIssued. */
    @WithSession
    public Uni<Map<String, String>> issuedMethods(UUID organization, Set<String> credentialIds) {
        if (credentialIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return getSession().flatMap(session -> session.createSelectionQuery("select c.credentialId, e.method"
                        + " from EntryCredentialEntity c, AuditEntryEntity e where e.sequence = c.sequence"
                        + " and c.organizationId = :organization and c.credentialId in :ids and e.eventType = :issued"
                        + " and e.method is not null order by e.sequence", Object[].class)
                .setParameter("organization", organization)
                .setParameter("ids", credentialIds)
                .setParameter("issued", "credential_issued")
                .getResultList())
                .map(rows -> {
                    Map<String, String> methods = new HashMap<>();
                    for (Object[] row : rows) {
                        methods.put((String) row[0], (String) row[1]);
                    }
                    return methods;
                });
    }
}
