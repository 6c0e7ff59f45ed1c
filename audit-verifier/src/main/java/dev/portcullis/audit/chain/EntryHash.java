package dev.portcullis.audit.chain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How an audit entry's hash is computed: SHA-256 over a domain-separated, length-prefixed encoding
 * of exactly what the entry stores, so anyone holding the stored columns can re-derive it.
 *
 * <pre>
 * entry_hash = SHA-256( u32(len(TAG)) || TAG
 *                    || u64(sequence)
 *                    || u32(len(previous_hash)) || previous_hash
 *                    || u32(len(envelope)) || envelope )
 * </pre>
 * Integers are unsigned big-endian; {@code TAG} is the ASCII string {@value #TAG}; the first entry
 * (sequence 1) chains to {@link #GENESIS}, 32 zero bytes. Pure Java: no database, no framework.
 */
public final class EntryHash {

    public static final String TAG = "portcullis/audit/entry/v1";
    public static final int LENGTH = 32;

    /** The hash the first entry chains to, as hex. */
    public static final String GENESIS = "0000000000000000000000000000000000000000000000000000000000000000";

    private static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GENESIS_BYTES = new byte[LENGTH];

    private EntryHash() {
    }

    /** The hash the first entry chains to: 32 zero bytes (a fresh copy). */
    public static byte[] genesis() {
        return GENESIS_BYTES.clone();
    }

    public static byte[] compute(long sequence, byte[] previousHash, byte[] envelope) {
        return sha256().digest(encode(sequence, previousHash, envelope));
    }

    /**
     * The bytes the entry hash is computed over (its "hash input"). The entry's Merkle leaf hashes the
     * same bytes: {@code leaf = SHA-256(0x00 || encode(...))} ({@code dev.portcullis.audit.proof.MerkleHash}).
     */
    public static byte[] encode(long sequence, byte[] previousHash, byte[] envelope) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
        if (previousHash == null || previousHash.length != LENGTH) {
            throw new IllegalArgumentException("previous hash must be 32 bytes");
        }
        if (envelope == null) {
            throw new IllegalArgumentException("envelope is required");
        }
        return ByteBuffer.allocate(4 + TAG_BYTES.length + 8 + 4 + previousHash.length + 4 + envelope.length)
                .putInt(TAG_BYTES.length).put(TAG_BYTES)
                .putLong(sequence)
                .putInt(previousHash.length).put(previousHash)
                .putInt(envelope.length).put(envelope)
                .array();
    }

    public static String hex(byte[] hash) {
        return hash == null ? null : HexFormat.of().formatHex(hash);
    }

    /** A fresh SHA-256 digest (JDK). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
