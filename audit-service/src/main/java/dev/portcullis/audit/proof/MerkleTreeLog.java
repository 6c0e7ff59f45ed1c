package dev.portcullis.audit.proof;

import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.proof.MerkleStore.ChainedEntry;
import dev.portcullis.audit.proof.MerkleStore.Subtree;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Merkle tree over the chain, kept in {@code merkle_subtree}. The tree is extended after the
 * fact (appends never wait for it): {@link #extendTo} reads entries past the covered size in
 * batches, re-checks each entry's hash and link (a tree is never built over a broken chain), and
 * stores every complete subtree it finishes. Roots and proofs of any covered size are then computed
 * from O(log² n) stored subtrees, fetched in one query.
 */
@ApplicationScoped
public class MerkleTreeLog {

    @Inject
    Pool pool;

    @Inject
    MerkleStore store;

    @Inject
    TreeHeadConfig config;

    /** Covers the chain up to {@code target} (or the chain head, if lower); returns the covered size. */
    public Uni<Long> extendTo(long target) {
        return pool.withTransaction(connection -> extendOnce(connection, target))
                .flatMap(progress -> progress.covered() >= progress.target() || !progress.advanced()
                        ? Uni.createFrom().item(progress.covered())
                        : extendTo(target));
    }

    /** Covers the whole chain as it is now; returns the covered size. */
    public Uni<Long> extendToHead() {
        return store.chainHead(pool).flatMap(this::extendTo);
    }

    public Uni<Long> coveredSize() {
        return store.state(pool, false).map(MerkleStore.TreeState::treeSize);
    }

    private record Progress(long covered, long target, boolean advanced) {
    }

    private Uni<Progress> extendOnce(SqlConnection connection, long requested) {
        return store.state(connection, true).flatMap(state -> store.chainHead(connection).flatMap(head -> {
            long target = Math.min(requested, head);
            if (state.treeSize() >= target) {
                return Uni.createFrom().item(new Progress(state.treeSize(), target, false));
            }
            List<long[]> frontierKeys = CompactTree.frontierOf(state.treeSize());
            List<Subtree> wanted = frontierKeys.stream().map(k -> new Subtree((int) k[0], k[1], null)).toList();
            return store.subtrees(connection, wanted).flatMap(frontier -> store
                    .entries(connection, state.treeSize(), target, config.batchSize())
                    .flatMap(entries -> {
                        CompactTree tree = CompactTree.resume(state.treeSize(), (level, index) -> required(frontier, level, index));
                        List<Subtree> completed = new ArrayList<>();
                        byte[] last = append(tree, state, entries, completed);
                        return store.insertSubtrees(connection, completed)
                                .call(() -> store.advance(connection, tree.size(), last))
                                .replaceWith(new Progress(tree.size(), target, true));
                    }));
        }));
    }

    /** Appends the entries' leaves after checking each one extends the chain; returns the last entry hash. */
    private static byte[] append(CompactTree tree, MerkleStore.TreeState state, List<ChainedEntry> entries, List<Subtree> completed) {
        byte[] last = state.lastEntryHash();
        long expected = state.treeSize() + 1;
        if (entries.isEmpty()) {
            throw new TreeBuildException(expected, "entry " + expected + " is missing");
        }
        for (ChainedEntry entry : entries) {
            if (entry.sequence() != expected) {
                throw new TreeBuildException(expected, "entry " + expected + " is missing");
            }
            if (!MessageDigest.isEqual(entry.previousHash(), last)) {
                throw new TreeBuildException(expected, "entry " + expected + " does not chain to the entry before it");
            }
            byte[] input = EntryHash.encode(entry.sequence(), entry.previousHash(), entry.envelope());
            if (!MessageDigest.isEqual(EntryHash.sha256().digest(input), entry.entryHash())) {
                throw new TreeBuildException(expected, "entry " + expected + " does not match its hash");
            }
            tree.append(MerkleHash.leaf(input), (level, index, hash) -> completed.add(new Subtree(level, index, hash)));
            last = entry.entryHash();
            expected++;
        }
        return last;
    }

    /**
     * Runs a computation over stored subtrees: once to learn which it reads, then, after fetching
     * them in one query, for real. The computations of {@link MerkleProofs} read the same subtrees
     * whatever their hashes are.
     */
    public <T> Uni<T> compute(Function<SubtreeSource, T> computation) {
        Set<Subtree> wanted = new LinkedHashSet<>();
        byte[] placeholder = new byte[MerkleHash.LENGTH];
        computation.apply((level, index) -> {
            wanted.add(new Subtree(level, index, null));
            return placeholder;
        });
        return store.subtrees(pool, wanted)
                .map(found -> computation.apply((level, index) -> required(found, level, index)));
    }

    private static byte[] required(Map<Long, byte[]> found, int level, long index) {
        byte[] hash = found.get(Subtree.key(level, index));
        if (hash == null) {
            throw new IllegalStateException("the complete subtree at level " + level + ", index " + index + " is not stored");
        }
        return hash;
    }
}
