package dev.portcullis.policy.admin;

import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Native SQL in the session (and so the transaction) of an admin change. */
final class Sql {

    private final Mutiny.Session session;

    Sql(Mutiny.Session session) {
        this.session = session;
    }

    Uni<Integer> exec(String sql, Object... args) {
        Mutiny.MutationQuery query = session.createNativeQuery(sql);
        for (int i = 0; i < args.length; i++) {
            query.setParameter(i + 1, args[i]);
        }
        return query.executeUpdate();
    }

    /** The first column of the first row as text, or null when there is no row. */
    Uni<String> text(String sql, Object... args) {
        Mutiny.SelectionQuery<String> query = session.createNativeQuery(sql, String.class);
        for (int i = 0; i < args.length; i++) {
            query.setParameter(i + 1, args[i]);
        }
        return query.getResultList().map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** The row of a view as JSON, or null. */
    Uni<String> json(String view, UUID organizationId, Object id) {
        return text("SELECT cast(row_to_json(x) AS text) FROM (" + view + ") x", organizationId, id);
    }

    /** Fails 422 unless the organization has a row with this id in {@code table}. */
    Uni<Void> requireOwned(String table, UUID organizationId, UUID id, String what) {
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        return text("SELECT cast(id AS text) FROM " + table + " WHERE organization_id = ?1 AND id = ?2", organizationId, id)
                .map(found -> {
                    if (found == null) {
                        throw Problems.unprocessable("unknown-reference", what + " " + id + " does not exist in this organization");
                    }
                    return null;
                });
    }

    Uni<List<String>> texts(String sql, Object... args) {
        Mutiny.SelectionQuery<String> query = session.createNativeQuery(sql, String.class);
        for (int i = 0; i < args.length; i++) {
            query.setParameter(i + 1, args[i]);
        }
        return query.getResultList();
    }

    static ProblemException notFound(String what) {
        return ProblemException.notFound(what);
    }
}
