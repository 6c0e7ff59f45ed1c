package dev.portcullis.audit.proof;

/**
 * The hashes of complete, aligned subtrees: {@code complete(level, index)} is MTH of the leaves
 * {@code [index * 2^level, (index + 1) * 2^level)}; level 0 is the leaf hashes. Every other node
 * of an RFC 9162 tree of any size is computed from these ({@link MerkleProofs}).
 */
@FunctionalInterface
public interface SubtreeSource {

    byte[] complete(int level, long index);
}
