package dev.portcullis.audit.proof;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Signs tree heads: every {@code portcullis.audit.tree-heads.interval} when the log has grown, and on
 * demand. A head is signed only over a tree the chain verifies into ({@link MerkleTreeLog#extendTo}).
 */
@ApplicationScoped
public class TreeHeads {

    private static final Logger LOG = Logger.getLogger(TreeHeads.class);

    @Inject
    Pool pool;

    @Inject
    MerkleStore store;

    @Inject
    MerkleTreeLog tree;

    @Inject
    TreeHeadSigner signer;

    /** The newest signed head, or null before the first. */
    public Uni<TreeHead> latest() {
        return store.latestTreeHead(pool);
    }

    /**
     * Extends the tree to the chain head and signs its root. Unless {@code always}, returns the newest
     * head instead when the log has not grown since.
     */
    public Uni<TreeHead> sign(boolean always) {
        return tree.extendToHead().flatMap(size -> store.latestTreeHead(pool).flatMap(latest -> {
            if (!always && latest != null && latest.treeSize() >= size) {
                return Uni.createFrom().item(latest);
            }
            return tree.compute(source -> MerkleProofs.root(source, size)).flatMap(root -> {
                long now = Clock.systemUTC().millis();
                TreeHead head = new TreeHead(size, root, now, signer.keyId(),
                        signer.sign(TreeHead.signedBytes(size, root, now)));
                return store.insertTreeHead(pool, head).replaceWith(head);
            });
        }));
    }

    @Scheduled(every = "${portcullis.audit.tree-heads.interval}", delayed = "${portcullis.audit.tree-heads.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> signWhenGrown() {
        return sign(false)
                .onFailure(TreeBuildException.class).invoke(failure -> LOG.errorf(
                        "no tree head signed: the audit chain does not verify at entry %d (%s)",
                        ((TreeBuildException) failure).sequence(), failure.getMessage()))
                .onFailure().invoke(failure -> LOG.warnf("could not sign a tree head yet: %s", failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
