package dev.portcullis.audit.verify;

import dev.portcullis.audit.chain.EntryHash;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Re-verifies a run of audit entries from their stored fields alone: pure Java, no database, so an
 * export or a command-line tool can use it offline.
 *
 * <p>Feed entries in ascending sequence with {@link #accept(Entry)}. Each must carry the next sequence
 * number, name the previous entry's hash as its {@code previousHash}, and have an {@code entryHash}
 * equal to {@link EntryHash#compute} over its own sequence, previous hash and envelope. The first
 * entry that does not is reported as {@code firstBadSequence}; nothing after it is checked.
 *
 * <pre>{@code
 * ChainVerifier verifier = ChainVerifier.fromGenesis();      // or after(trustedSequence, trustedHash)
 * entries.forEach(verifier::accept);
 * ChainVerifier.Result result = verifier.result();
 * }</pre>
 */
public final class ChainVerifier {

    /** The stored fields of one entry that its hash covers (plus the hash). */
    public record Entry(long sequence, byte[] previousHash, byte[] envelope, byte[] entryHash) {
    }

    public enum Failure {
        /** The entry does not carry the next sequence number (a gap, a repeat, or a reordering). */
        OUT_OF_SEQUENCE,
        /** Its previous hash is not the hash of the entry before it: the chain is cut or forked here. */
        BROKEN_LINK,
        /** Its hash does not match its content: the entry (envelope, sequence or hash) was altered. */
        HASH_MISMATCH,
        /** Its stored columns say something its envelope does not (checked by callers that have columns). */
        COLUMNS_MISMATCH,
        /** An entry that must exist is missing. */
        MISSING_ENTRY,
        /** The recorded chain head does not match the newest entry. */
        HEAD_MISMATCH,
        /**
         * The entry verifies on its own and in the chain, but its Merkle leaf is not the one stored when the tree
         * covered it: the row was rewritten (hashes recomputed) after the fact.
         */
        LEAF_MISMATCH,
        /** The entries up to a signed tree head's size do not have that head's root (or its signature is not valid). */
        TREE_HEAD_MISMATCH
    }

    /**
     * @param verified         true when every entry accepted so far extends the chain correctly
     * @param checked          how many entries were examined (the bad one included)
     * @param firstBadSequence the sequence of the first entry that failed, or null
     * @param failure          why it failed, or null
     * @param lastSequence     the last entry that verified (the anchor's sequence if none did)
     * @param lastHash         its hash: the chain up to {@code lastSequence} commits to this value
     */
    public record Result(boolean verified, long checked, Long firstBadSequence, Failure failure, long lastSequence,
            byte[] lastHash) {

        public String lastHashHex() {
            return EntryHash.hex(lastHash);
        }
    }

    private long lastSequence;
    private byte[] lastHash;
    private long checked;
    private Long firstBadSequence;
    private Failure failure;

    private ChainVerifier(long anchorSequence, byte[] anchorHash) {
        if (anchorSequence < 0) {
            throw new IllegalArgumentException("the anchor's sequence cannot be negative");
        }
        if (anchorHash == null || anchorHash.length != EntryHash.LENGTH) {
            throw new IllegalArgumentException("the anchor's hash must be 32 bytes");
        }
        this.lastSequence = anchorSequence;
        this.lastHash = anchorHash.clone();
    }

    /** Expects the first entry of the log: sequence 1, chained to 32 zero bytes. */
    public static ChainVerifier fromGenesis() {
        return new ChainVerifier(0, EntryHash.genesis());
    }

    /**
     * Expects the entry after a trusted one (from a previous verification or a signed head): sequence
     * {@code anchorSequence + 1}, chained to {@code anchorHash}. {@code after(0, 32 zero bytes)} is
     * {@link #fromGenesis()}.
     */
    public static ChainVerifier after(long anchorSequence, byte[] anchorHash) {
        if (anchorSequence == 0 && !MessageDigest.isEqual(anchorHash, EntryHash.genesis())) {
            throw new IllegalArgumentException("the chain starts from 32 zero bytes");
        }
        return new ChainVerifier(anchorSequence, anchorHash);
    }

    /** Verifies a whole run from the genesis. */
    public static Result verify(Iterable<Entry> entries) {
        ChainVerifier verifier = fromGenesis();
        for (Entry entry : entries) {
            if (!verifier.accept(entry)) {
                break;
            }
        }
        return verifier.result();
    }

    /** The sequence the next entry must carry. */
    public long expectedSequence() {
        return lastSequence + 1;
    }

    /** Checks the next entry; returns whether the chain still verifies (false from the first failure on). */
    public boolean accept(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        if (failure != null) {
            return false;
        }
        checked++;
        if (entry.sequence() != lastSequence + 1) {
            return fail(Math.min(entry.sequence(), lastSequence + 1), Failure.OUT_OF_SEQUENCE);
        }
        if (entry.previousHash() == null || !MessageDigest.isEqual(entry.previousHash(), lastHash)) {
            return fail(entry.sequence(), Failure.BROKEN_LINK);
        }
        if (entry.envelope() == null || entry.entryHash() == null) {
            return fail(entry.sequence(), Failure.HASH_MISMATCH);
        }
        byte[] recomputed = EntryHash.compute(entry.sequence(), entry.previousHash(), entry.envelope());
        if (!MessageDigest.isEqual(recomputed, entry.entryHash())) {
            return fail(entry.sequence(), Failure.HASH_MISMATCH);
        }
        lastSequence = entry.sequence();
        lastHash = recomputed;
        return true;
    }

    /** Records a failure found by a check outside the hash chain (columns, a missing entry, the head). */
    public boolean fail(long sequence, Failure why) {
        if (failure == null) {
            firstBadSequence = sequence;
            failure = why;
        }
        return false;
    }

    public boolean verified() {
        return failure == null;
    }

    public Result result() {
        return new Result(failure == null, checked, firstBadSequence, failure, lastSequence, lastHash.clone());
    }
}
