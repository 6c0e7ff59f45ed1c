package dev.portcullis.audit.proof;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL over the tree tables (merkle_subtree, merkle_state, tree_head) and the entries the tree is built from. */
@ApplicationScoped
public class MerkleStore {

    /** How far the tree covers the chain. */
    public record TreeState(long treeSize, byte[] lastEntryHash) {
    }

    /** The fields of an entry the tree needs. */
    public record ChainedEntry(long sequence, byte[] previousHash, byte[] envelope, byte[] entryHash) {
    }

    /** A complete subtree, (level, index) → hash. */
    public record Subtree(int level, long index, byte[] hash) {

        public long key() {
            return key(level, index);
        }

        public static long key(int level, long index) {
            return (index << 6) | level;
        }
    }

    public Uni<TreeState> state(SqlClient client, boolean lock) {
        return client.query("SELECT tree_size, last_entry_hash FROM merkle_state WHERE id = 1" + (lock ? " FOR UPDATE" : ""))
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new TreeState(row.getLong("tree_size"), bytes(row, "last_entry_hash"));
                });
    }

    public Uni<Long> chainHead(SqlClient client) {
        return client.query("SELECT sequence FROM chain_head WHERE id = 1").execute()
                .map(rows -> rows.iterator().next().getLong("sequence"));
    }

    /** Entries {@code (after, to]} in order, at most {@code limit}. */
    public Uni<List<ChainedEntry>> entries(SqlClient client, long after, long to, int limit) {
        return client.preparedQuery("SELECT sequence, previous_hash, envelope, entry_hash FROM audit_entry "
                        + "WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence LIMIT $3")
                .execute(Tuple.of(after, to, limit))
                .map(rows -> {
                    List<ChainedEntry> entries = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        entries.add(new ChainedEntry(row.getLong("sequence"), bytes(row, "previous_hash"), bytes(row, "envelope"),
                                bytes(row, "entry_hash")));
                    }
                    return entries;
                });
    }

    /** The stored complete subtrees among {@code wanted} ({@link Subtree#key} → hash). */
    public Uni<Map<Long, byte[]>> subtrees(SqlClient client, Collection<Subtree> wanted) {
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Integer[] levels = new Integer[wanted.size()];
        Long[] indexes = new Long[wanted.size()];
        int i = 0;
        for (Subtree subtree : wanted) {
            levels[i] = subtree.level();
            indexes[i] = subtree.index();
            i++;
        }
        return client.preparedQuery("SELECT level, node_index, hash FROM merkle_subtree "
                        + "WHERE (level, node_index) IN (SELECT * FROM unnest($1::int[], $2::bigint[]))")
                .execute(Tuple.of(levels, indexes))
                .map(rows -> {
                    Map<Long, byte[]> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(Subtree.key(row.getInteger("level"), row.getLong("node_index")), bytes(row, "hash"));
                    }
                    return found;
                });
    }

    public Uni<Void> insertSubtrees(SqlClient client, List<Subtree> subtrees) {
        if (subtrees.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(subtrees.size());
        for (Subtree subtree : subtrees) {
            batch.add(Tuple.of(subtree.level(), subtree.index(), io.vertx.core.buffer.Buffer.buffer(subtree.hash())));
        }
        return client.preparedQuery("INSERT INTO merkle_subtree (level, node_index, hash) VALUES ($1, $2, $3)")
                .executeBatch(batch).replaceWithVoid();
    }

    public Uni<Void> advance(SqlClient client, long treeSize, byte[] lastEntryHash) {
        return client.preparedQuery("UPDATE merkle_state SET tree_size = $1, last_entry_hash = $2 WHERE id = 1")
                .execute(Tuple.of(treeSize, io.vertx.core.buffer.Buffer.buffer(lastEntryHash)))
                .replaceWithVoid();
    }

    public Uni<Void> insertTreeHead(SqlClient client, TreeHead head) {
        return client.preparedQuery("INSERT INTO tree_head (tree_size, root_hash, timestamp_millis, key_id, signature) "
                        + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(head.treeSize(), io.vertx.core.buffer.Buffer.buffer(head.rootHash()), head.timestampMillis(),
                        head.keyId(), io.vertx.core.buffer.Buffer.buffer(head.signature())))
                .replaceWithVoid();
    }

    /** The newest tree head (largest size, then latest), or null. */
    public Uni<TreeHead> latestTreeHead(SqlClient client) {
        return client.query("SELECT tree_size, root_hash, timestamp_millis, key_id, signature FROM tree_head "
                        + "ORDER BY tree_size DESC, id DESC LIMIT 1")
                .execute()
                .map(rows -> rows.size() == 0 ? null : treeHead(rows.iterator().next()));
    }

    private static TreeHead treeHead(Row row) {
        return new TreeHead(row.getLong("tree_size"), bytes(row, "root_hash"), row.getLong("timestamp_millis"),
                row.getString("key_id"), bytes(row, "signature"));
    }

    private static byte[] bytes(Row row, String column) {
        return row.getBuffer(column).getBytes();
    }
}
