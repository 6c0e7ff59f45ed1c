package dev.portcullis.audit.proof;

import dev.portcullis.audit.chain.EntryHash;
import java.security.MessageDigest;

/**
 * RFC 9162 §2.1.1 hashing with domain separation: a leaf is {@code SHA-256(0x00 || data)}, an
 * interior node {@code SHA-256(0x01 || left || right)}, the empty tree {@code SHA-256()}. The leaf
 * data of an audit entry is its hash input ({@link EntryHash#encode}).
 */
public final class MerkleHash {

    public static final int LENGTH = 32;

    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};

    private MerkleHash() {
    }

    public static byte[] leaf(byte[] data) {
        MessageDigest sha256 = EntryHash.sha256();
        sha256.update(LEAF_PREFIX);
        return sha256.digest(data);
    }

    /** The leaf of audit entry {@code sequence} (leaf index {@code sequence - 1}). */
    public static byte[] entryLeaf(long sequence, byte[] previousHash, byte[] envelope) {
        return leaf(EntryHash.encode(sequence, previousHash, envelope));
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha256 = EntryHash.sha256();
        sha256.update(NODE_PREFIX);
        sha256.update(left);
        return sha256.digest(right);
    }

    /** MTH({}) = SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return EntryHash.sha256().digest();
    }
}
