package dev.portcullis.audit.export;

import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.proof.MerkleProofs;
import dev.portcullis.audit.proof.MerkleTreeLog;
import dev.portcullis.audit.proof.TreeBuildException;
import dev.portcullis.audit.proof.TreeHead;
import dev.portcullis.audit.proof.TreeHeads;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Reads an organization's entries for export, bounded by a signed tree head (signed now if the log
 * has grown since the last one), each with its inclusion proof against that head.
 */
@ApplicationScoped
public class AuditExport {

    /** A page of an export: the head the proofs lead to, the entries, and where the next page starts (or null). */
    public record Page(TreeHead treeHead, List<ExportedEntry> entries, Long nextFrom) {
    }

    @Inject
    Pool pool;

    @Inject
    TreeHeads treeHeads;

    @Inject
    MerkleTreeLog tree;

    public Uni<Page> page(UUID organization, ExportFilter filter, boolean withProofs) {
        return headOfExport().flatMap(head -> entries(organization, filter, head.treeSize()).flatMap(rows -> {
            boolean more = rows.size() > filter.limit();
            List<ExportedEntry> entries = more ? rows.subList(0, filter.limit()) : rows;
            Long nextFrom = more ? entries.get(entries.size() - 1).sequence() + 1 : null;
            if (!withProofs || entries.isEmpty()) {
                return Uni.createFrom().item(new Page(head, entries, nextFrom));
            }
            return tree.compute(source -> entries.stream()
                    .map(entry -> entry.withInclusion(new ExportedEntry.Inclusion(entry.sequence() - 1, head.treeSize(),
                            MerkleProofs.inclusionPath(source, entry.sequence() - 1, head.treeSize()).stream().map(EntryHash::hex).toList())))
                    .toList())
                    .map(proven -> new Page(head, proven, nextFrom));
        }));
    }

    /** A head over the whole log; if the chain does not verify past the newest head, that head (the log beyond is not exported). */
    private Uni<TreeHead> headOfExport() {
        return treeHeads.sign(false)
                .onFailure(TreeBuildException.class).recoverWithUni(failure -> treeHeads.latest().map(latest -> {
                    if (latest == null) {
                        throw ProblemException.conflict("chain-broken", "The audit chain does not verify at entry "
                                + ((TreeBuildException) failure).sequence() + "; there is no signed tree head to export against");
                    }
                    return latest;
                }));
    }

    /** Up to limit + 1 entries, ascending, within the head. */
    private Uni<List<ExportedEntry>> entries(UUID organization, ExportFilter filter, long treeSize) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_entry WHERE organization_id = $1 AND sequence >= $2 AND sequence <= $3");
        List<Object> parameters = new ArrayList<>(Arrays.asList(organization, filter.from(), Math.min(filter.to(), treeSize)));
        if (filter.doorId() != null) {
            parameters.add(filter.doorId());
            sql.append(" AND door_id = $").append(parameters.size());
        }
        if (filter.lockId() != null) {
            parameters.add(filter.lockId());
            sql.append(" AND lock_id = $").append(parameters.size());
        }
        if (filter.credentialId() != null) {
            parameters.add(filter.credentialId());
            sql.append(" AND sequence IN (SELECT sequence FROM audit_entry_credential WHERE organization_id = $1 AND credential_id = $")
                    .append(parameters.size()).append(')');
        }
        if (filter.propertyId() != null) {
            parameters.add(filter.propertyId());
            sql.append(" AND door_id IN (SELECT door_id FROM door_property WHERE organization_id = $1 AND property_id = $")
                    .append(parameters.size()).append(')');
        }
        parameters.add(filter.limit() + 1);
        sql.append(" ORDER BY sequence LIMIT $").append(parameters.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(parameters)).map(rows -> {
            List<ExportedEntry> entries = new ArrayList<>(rows.size());
            for (Row row : rows) {
                entries.add(entry(row));
            }
            return entries;
        });
    }

    private static ExportedEntry entry(Row row) {
        String[] reasons = row.getArrayOfStrings("reasons");
        return new ExportedEntry("entry", row.getLong("sequence"), row.getUUID("event_id"), row.getUUID("organization_id"),
                row.getString("event_type"), row.getOffsetDateTime("occurred_at"), row.getOffsetDateTime("recorded_at"),
                row.getString("actor_type"), row.getString("actor_id"), row.getString("method"), row.getString("door_id"),
                row.getString("lock_id"), row.getString("action_attempt_id"), row.getString("outcome"),
                reasons == null ? List.of() : List.of(reasons), EntryHash.hex(row.getBuffer("previous_hash").getBytes()),
                EntryHash.hex(row.getBuffer("entry_hash").getBytes()),
                Base64.getEncoder().encodeToString(row.getBuffer("envelope").getBytes()), null);
    }
}
