package dev.portcullis.audit.proof;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree that only grows, held as its frontier: the roots of the complete subtrees that make
 * up its size (one per set bit, largest first). Appending a leaf merges equal-sized subtrees and
 * reports each complete subtree it finishes, so a store can keep them ({@link SubtreeSource}).
 * The root of any size is the frontier folded from the right (RFC 9162 MTH).
 */
public final class CompactTree {

    /** Receives every complete subtree hash, leaves (level 0) included, as it is finished. */
    @FunctionalInterface
    public interface CompletedSubtrees {
        void completed(int level, long index, byte[] hash);
    }

    private final List<byte[]> frontier = new ArrayList<>();
    private long size;

    private CompactTree() {
    }

    public static CompactTree empty() {
        return new CompactTree();
    }

    /** The tree of {@code size} leaves, resumed from the stored complete subtrees of its frontier. */
    public static CompactTree resume(long size, SubtreeSource stored) {
        CompactTree tree = new CompactTree();
        long offset = 0;
        for (int level = 62; level >= 0; level--) {
            long width = 1L << level;
            if ((size & width) != 0) {
                tree.frontier.add(stored.complete(level, offset >> level));
                offset += width;
            }
        }
        tree.size = size;
        return tree;
    }

    /** The subtrees {@link #resume} needs: (level, index) pairs, largest first. */
    public static List<long[]> frontierOf(long size) {
        List<long[]> nodes = new ArrayList<>();
        long offset = 0;
        for (int level = 62; level >= 0; level--) {
            long width = 1L << level;
            if ((size & width) != 0) {
                nodes.add(new long[] {level, offset >> level});
                offset += width;
            }
        }
        return nodes;
    }

    public long size() {
        return size;
    }

    public void append(byte[] leafHash, CompletedSubtrees sink) {
        if (leafHash == null || leafHash.length != MerkleHash.LENGTH) {
            throw new IllegalArgumentException("a leaf hash is 32 bytes");
        }
        long index = size;
        byte[] hash = leafHash;
        int level = 0;
        sink.completed(0, index, hash);
        // Each trailing 1 bit of the old size is a complete subtree of that level waiting for a sibling.
        while (((index >> level) & 1) == 1) {
            byte[] left = frontier.remove(frontier.size() - 1);
            hash = MerkleHash.node(left, hash);
            level++;
            sink.completed(level, index >> level, hash);
        }
        frontier.add(hash);
        size++;
    }

    public void append(byte[] leafHash) {
        append(leafHash, (level, index, hash) -> {
        });
    }

    public byte[] root() {
        if (frontier.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        byte[] root = frontier.get(frontier.size() - 1);
        for (int i = frontier.size() - 2; i >= 0; i--) {
            root = MerkleHash.node(frontier.get(i), root);
        }
        return root;
    }
}
