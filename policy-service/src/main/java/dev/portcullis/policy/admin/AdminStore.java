package dev.portcullis.policy.admin;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.policy.store.PolicyChanges;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads and changes policy data for the admin API. Every change runs in one transaction that also
 * records it ({@link PolicyChanges}: version, history, outbox event); once it committed, this replica's
 * cached policy of the organization is dropped so the very next decision sees it.
 */
@ApplicationScoped
public class AdminStore {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";

    @Inject
    PolicyChanges changes;

    @Inject
    PolicyCache cache;

    /** An object type of the admin API: its history name and its JSON view ({@code ?1} = organization). */
    public record Kind(String entityType, String what, String view) {
        String one() {
            return view + " AND t.id = ?2";
        }

        String all() {
            return view;
        }
    }

    public Uni<String> list(Kind kind, UUID organizationId) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> new Sql(session)
                        .text("SELECT cast(coalesce(json_agg(x), '[]') AS text) FROM (" + kind.all() + ") x", organizationId)))
                .onFailure().transform(Problems::translate);
    }

    public Uni<String> get(Kind kind, UUID organizationId, Object id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> new Sql(session).json(kind.one(), organizationId, id)))
                .map(found -> {
                    if (found == null) {
                        throw ProblemException.notFound(kind.what());
                    }
                    return found;
                })
                .onFailure().transform(Problems::translate);
    }

    /**
     * Applies one change to one object and records it. {@code id} names the object (for a creation, the
     * new object's id); the answer is the object's JSON after the change (null when deleted).
     */
    public Uni<String> change(Operator operator, Kind kind, Object id, String operation, String summary, Function<Sql, Uni<?>> apply) {
        UUID org = operator.organizationId();
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> {
                    Sql sql = new Sql(session);
                    return sql.json(kind.one(), org, id).flatMap(before -> {
                        if (!CREATED.equals(operation) && before == null && kind != Kinds.SETTINGS) {
                            return Uni.createFrom().failure(ProblemException.notFound(kind.what()));
                        }
                        if (CREATED.equals(operation) && before != null) {
                            return Uni.createFrom().failure(ProblemException.conflict("duplicate", kind.what() + " exists already"));
                        }
                        return apply.apply(sql)
                                .flatMap(x -> DELETED.equals(operation) ? Uni.createFrom().<String>nullItem() : sql.json(kind.one(), org, id))
                                .flatMap(after -> changes.record(new PolicyChanges.Change(org, kind.entityType(), String.valueOf(id), operation,
                                        operator.subject(), summary, before, after)).replaceWith(after));
                    });
                }))
                .onFailure().transform(Problems::translate)
                .invoke(() -> cache.invalidate(org));
    }
}
