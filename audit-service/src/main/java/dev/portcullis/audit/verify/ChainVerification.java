package dev.portcullis.audit.verify;

import dev.portcullis.audit.chain.AuditEntryEntity;
import dev.portcullis.audit.chain.ChainHead;
import dev.portcullis.audit.chain.ChainRepository;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.chain.InvalidEventException;
import dev.portcullis.audit.proof.CompactTree;
import dev.portcullis.audit.proof.MerkleHash;
import dev.portcullis.audit.proof.MerkleStore;
import dev.portcullis.audit.proof.TreeHead;
import dev.portcullis.audit.proof.TreeHeadSigner;
import dev.portcullis.audit.proof.TreeHeads;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Re-verifies a range of the stored chain: each entry's hash and link ({@link ChainVerifier}), and
 * that its indexed columns are what its envelope says (so an entry cannot be moved to another
 * organization, door or actor by editing a column). Reads in batches, each in its own session.
 *
 * <p>Against the Merkle tree too: each entry's leaf must be the leaf stored when the tree covered it (a row
 * rewritten later, hashes and all, is {@code LEAF_MISMATCH} at that row); and when the range starts at 1 and
 * reaches the newest signed tree head, the entries up to its size must have its root, and its signature must
 * verify ({@code TREE_HEAD_MISMATCH}: the log was rewritten, stored tree included).
 */
@ApplicationScoped
public class ChainVerification {

    @Inject
    ChainRepository chain;

    @Inject
    VerifyConfig config;

    @Inject
    Pool pool;

    @Inject
    MerkleStore store;

    @Inject
    TreeHeads treeHeads;

    @Inject
    TreeHeadSigner signer;

    /** The tree rebuilt from the entries checked (from entry 1 only), and the signed head to compare it with. */
    private static final class TreeCheck {
        final TreeHead signed;
        final CompactTree tree;
        byte[] rootAtSignedSize;

        TreeCheck(TreeHead signed, boolean fromGenesis) {
            this.signed = signed;
            this.tree = fromGenesis && signed != null ? CompactTree.empty() : null;
        }
    }

    public Uni<VerificationReport> verify(Long requestedFrom, Long requestedTo) {
        long from = requestedFrom == null ? 1 : requestedFrom;
        if (from < 1) {
            throw ProblemException.badRequest("invalid-parameter", "from must be a sequence number (a whole number from 1)")
                    .with("parameter", "from");
        }
        if (requestedTo != null && requestedTo < from) {
            throw ProblemException.badRequest("invalid-parameter", "to must not be below from").with("parameter", "to");
        }
        return chain.head().flatMap(head -> treeHeads.latest().flatMap(signed -> {
            long to = Math.min(requestedTo == null ? head.sequence() : requestedTo, head.sequence());
            to = Math.min(to, from + config.maxRange() - 1);
            long end = to;
            TreeCheck trees = new TreeCheck(signed, from == 1);
            if (from > end) {
                return Uni.createFrom().item(report(ChainVerifier.fromGenesis(), from, end, head, null));
            }
            return anchor(from).flatMap(verifier -> verifier.verified()
                    ? verifyFrom(verifier, end, trees).map(done -> checkHead(done, end, head))
                    : Uni.createFrom().item(verifier))
                    .map(verifier -> report(verifier, from, end, head, checkTreeHead(verifier, trees)));
        }));
    }

    /** Compares the rebuilt tree with the signed head when it covered the head's size; the head checked, or null. */
    private TreeHead checkTreeHead(ChainVerifier verifier, TreeCheck trees) {
        if (trees.tree == null || !verifier.verified() || trees.rootAtSignedSize == null) {
            return null;
        }
        TreeHead signed = trees.signed;
        if (!MessageDigest.isEqual(trees.rootAtSignedSize, signed.rootHash()) || !signed.verify(signer.publicKey())) {
            verifier.fail(signed.treeSize(), ChainVerifier.Failure.TREE_HEAD_MISMATCH);
        }
        return signed;
    }

    /** The verifier positioned before {@code from}: the genesis, or the stored hash of entry {@code from - 1}. */
    private Uni<ChainVerifier> anchor(long from) {
        if (from == 1) {
            return Uni.createFrom().item(ChainVerifier.fromGenesis());
        }
        return chain.findBySequence(from - 1).map(previous -> {
            if (previous == null || previous.entryHash == null || previous.entryHash.length != EntryHash.LENGTH) {
                ChainVerifier broken = ChainVerifier.fromGenesis();
                broken.fail(from - 1, ChainVerifier.Failure.MISSING_ENTRY);
                return broken;
            }
            return ChainVerifier.after(from - 1, previous.entryHash);
        });
    }

    private Uni<ChainVerifier> verifyFrom(ChainVerifier verifier, long to, TreeCheck trees) {
        long next = verifier.expectedSequence();
        if (next > to || !verifier.verified()) {
            return Uni.createFrom().item(verifier);
        }
        return chain.range(next, to, config.batchSize()).flatMap(batch -> {
            if (batch.isEmpty()) {
                verifier.fail(next, ChainVerifier.Failure.MISSING_ENTRY);
                return Uni.createFrom().item(verifier);
            }
            List<MerkleStore.Subtree> leaves = batch.stream().map(entry -> new MerkleStore.Subtree(0, entry.sequence - 1, null)).toList();
            return store.subtrees(pool, leaves).flatMap(storedLeaves -> {
                check(verifier, batch, storedLeaves, trees);
                return verifyFrom(verifier, to, trees);
            });
        });
    }

    private static void check(ChainVerifier verifier, List<AuditEntryEntity> batch, Map<Long, byte[]> storedLeaves, TreeCheck trees) {
        for (AuditEntryEntity entry : batch) {
            if (!verifier.accept(new ChainVerifier.Entry(entry.sequence, entry.previousHash, entry.envelope, entry.entryHash))) {
                return;
            }
            if (!columnsMatch(entry)) {
                verifier.fail(entry.sequence, ChainVerifier.Failure.COLUMNS_MISMATCH);
                return;
            }
            byte[] leaf = MerkleHash.entryLeaf(entry.sequence, entry.previousHash, entry.envelope);
            byte[] stored = storedLeaves.get(MerkleStore.Subtree.key(0, entry.sequence - 1));
            if (stored != null && !MessageDigest.isEqual(stored, leaf)) {
                verifier.fail(entry.sequence, ChainVerifier.Failure.LEAF_MISMATCH);
                return;
            }
            if (trees.tree != null && trees.tree.size() < trees.signed.treeSize()) {
                trees.tree.append(leaf);
                if (trees.tree.size() == trees.signed.treeSize()) {
                    trees.rootAtSignedSize = trees.tree.root();
                }
            }
        }
    }

    private static boolean columnsMatch(AuditEntryEntity entry) {
        try {
            return EntryColumns.derive(entry.envelope).sameAs(entry.columns());
        } catch (InvalidEventException e) {
            return false;
        }
    }

    /** When the range ends at the head, the head must be exactly the last entry verified. */
    private static ChainVerifier checkHead(ChainVerifier verifier, long to, ChainHead head) {
        if (verifier.verified() && to == head.sequence()) {
            ChainVerifier.Result result = verifier.result();
            if (result.lastSequence() != head.sequence() || !MessageDigest.isEqual(result.lastHash(), head.hash())) {
                verifier.fail(head.sequence(), ChainVerifier.Failure.HEAD_MISMATCH);
            }
        }
        return verifier;
    }

    private static VerificationReport report(ChainVerifier verifier, long from, long to, ChainHead head, TreeHead treeHead) {
        ChainVerifier.Result result = verifier.result();
        return new VerificationReport(result.verified(), result.checked(), result.firstBadSequence(),
                result.failure() == null ? null : result.failure().name(), from, to,
                new VerificationReport.Head(head.sequence(), head.hashHex()),
                treeHead == null ? null : new VerificationReport.SignedHead(treeHead.treeSize(), treeHead.rootHashHex()));
    }
}
