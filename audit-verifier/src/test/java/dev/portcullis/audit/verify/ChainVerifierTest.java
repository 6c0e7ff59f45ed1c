package dev.portcullis.audit.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.verify.ChainVerifier.Entry;
import dev.portcullis.audit.verify.ChainVerifier.Failure;
import dev.portcullis.audit.verify.ChainVerifier.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline verifier against intact and forged chains. */
class ChainVerifierTest {

    /** An honest chain of {@code n} entries, built the way the service builds it. */
    private static List<Entry> chain(int n) {
        List<Entry> entries = new ArrayList<>();
        byte[] previous = EntryHash.genesis();
        for (long sequence = 1; sequence <= n; sequence++) {
            byte[] envelope = ("event " + sequence).getBytes(StandardCharsets.UTF_8);
            byte[] hash = EntryHash.compute(sequence, previous, envelope);
            entries.add(new Entry(sequence, previous, envelope, hash));
            previous = hash;
        }
        return entries;
    }

    private static Entry withEnvelope(Entry entry, byte[] envelope) {
        return new Entry(entry.sequence(), entry.previousHash(), envelope, entry.entryHash());
    }

    @Test
    void anIntactChainVerifies() {
        List<Entry> entries = chain(10);
        Result result = ChainVerifier.verify(entries);
        assertTrue(result.verified());
        assertEquals(10, result.checked());
        assertNull(result.firstBadSequence());
        assertNull(result.failure());
        assertEquals(10, result.lastSequence());
        assertArrayEquals(entries.get(9).entryHash(), result.lastHash());
    }

    @Test
    void anEmptyRunVerifiesNothing() {
        Result result = ChainVerifier.verify(List.of());
        assertTrue(result.verified());
        assertEquals(0, result.checked());
        assertEquals(0, result.lastSequence());
        assertArrayEquals(EntryHash.genesis(), result.lastHash());
    }

    @Test
    void anAlteredEnvelopeIsCaughtAtThatEntry() {
        List<Entry> entries = chain(10);
        byte[] forged = entries.get(4).envelope().clone();
        forged[0] ^= 1;
        entries.set(4, withEnvelope(entries.get(4), forged));
        Result result = ChainVerifier.verify(entries);
        assertFalse(result.verified());
        assertEquals(5L, result.firstBadSequence());
        assertEquals(Failure.HASH_MISMATCH, result.failure());
        assertEquals(5, result.checked());
        assertEquals(4, result.lastSequence());
    }

    @Test
    void aRehashedForgeryBreaksTheNextLink() {
        // The forger recomputes the altered entry's own hash but cannot fix the entries after it.
        List<Entry> entries = chain(10);
        Entry victim = entries.get(4);
        byte[] forged = "event 5, but different".getBytes(StandardCharsets.UTF_8);
        entries.set(4, new Entry(5, victim.previousHash(), forged, EntryHash.compute(5, victim.previousHash(), forged)));
        Result result = ChainVerifier.verify(entries);
        assertFalse(result.verified());
        assertEquals(6L, result.firstBadSequence());
        assertEquals(Failure.BROKEN_LINK, result.failure());
    }

    @Test
    void aForgedEntryHashIsCaught() {
        List<Entry> entries = chain(3);
        Entry victim = entries.get(1);
        byte[] wrong = victim.entryHash().clone();
        wrong[31] ^= 0x40;
        entries.set(1, new Entry(2, victim.previousHash(), victim.envelope(), wrong));
        Result result = ChainVerifier.verify(entries);
        assertEquals(2L, result.firstBadSequence());
        assertEquals(Failure.HASH_MISMATCH, result.failure());
    }

    @Test
    void aRemovedEntryIsAGap() {
        List<Entry> entries = chain(10);
        entries.remove(6);
        Result result = ChainVerifier.verify(entries);
        assertFalse(result.verified());
        assertEquals(7L, result.firstBadSequence());
        assertEquals(Failure.OUT_OF_SEQUENCE, result.failure());
    }

    @Test
    void removingAnEntryAndRenumberingStillBreaksTheChain() {
        // Delete entry 7 and renumber the rest: the sequences line up, but hashes cover the old numbers.
        List<Entry> entries = chain(10);
        entries.remove(6);
        List<Entry> renumbered = new ArrayList<>();
        for (Entry entry : entries) {
            long sequence = entry.sequence() > 7 ? entry.sequence() - 1 : entry.sequence();
            renumbered.add(new Entry(sequence, entry.previousHash(), entry.envelope(), entry.entryHash()));
        }
        Result result = ChainVerifier.verify(renumbered);
        assertFalse(result.verified());
        assertEquals(7L, result.firstBadSequence());
        assertEquals(Failure.BROKEN_LINK, result.failure());
    }

    @Test
    void swappedEntriesAreCaught() {
        List<Entry> entries = chain(5);
        Collections.swap(entries, 1, 2);
        Result result = ChainVerifier.verify(entries);
        assertFalse(result.verified());
        assertEquals(2L, result.firstBadSequence());
        assertEquals(Failure.OUT_OF_SEQUENCE, result.failure());
    }

    @Test
    void envelopesSwappedBetweenEntriesAreCaught() {
        List<Entry> entries = chain(5);
        Entry two = entries.get(1);
        Entry three = entries.get(2);
        entries.set(1, withEnvelope(two, three.envelope()));
        entries.set(2, withEnvelope(three, two.envelope()));
        Result result = ChainVerifier.verify(entries);
        assertEquals(2L, result.firstBadSequence());
        assertEquals(Failure.HASH_MISMATCH, result.failure());
    }

    @Test
    void aChainThatDoesNotStartAtTheGenesisIsRejected() {
        // A forger who replaces the whole log with a fresh chain cannot make it start from a pinned head.
        List<Entry> entries = chain(10);
        Result fromGenesis = ChainVerifier.verify(entries.subList(3, 10));
        assertFalse(fromGenesis.verified());
        assertEquals(1L, fromGenesis.firstBadSequence());
        assertEquals(Failure.OUT_OF_SEQUENCE, fromGenesis.failure());
    }

    @Test
    void aRangeVerifiesAgainstATrustedAnchor() {
        List<Entry> entries = chain(10);
        ChainVerifier verifier = ChainVerifier.after(3, entries.get(2).entryHash());
        entries.subList(3, 10).forEach(verifier::accept);
        Result result = verifier.result();
        assertTrue(result.verified());
        assertEquals(7, result.checked());
        assertEquals(10, result.lastSequence());

        byte[] wrongAnchor = entries.get(2).entryHash().clone();
        wrongAnchor[0] ^= 1;
        ChainVerifier misanchored = ChainVerifier.after(3, wrongAnchor);
        entries.subList(3, 10).forEach(misanchored::accept);
        assertEquals(4L, misanchored.result().firstBadSequence());
        assertEquals(Failure.BROKEN_LINK, misanchored.result().failure());
    }

    @Test
    void aForkedChainIsRejected() {
        // Two different entries claiming sequence 4 after the same entry 3.
        List<Entry> entries = chain(4);
        byte[] other = "another event 4".getBytes(StandardCharsets.UTF_8);
        Entry fork = new Entry(4, entries.get(2).entryHash(), other, EntryHash.compute(4, entries.get(2).entryHash(), other));
        List<Entry> forked = new ArrayList<>(entries);
        forked.add(fork);
        Result result = ChainVerifier.verify(forked);
        assertFalse(result.verified());
        assertEquals(4L, result.firstBadSequence());
        assertEquals(Failure.OUT_OF_SEQUENCE, result.failure());
    }

    @Test
    void nothingAfterTheFirstFailureCounts() {
        List<Entry> entries = chain(6);
        entries.set(1, withEnvelope(entries.get(1), new byte[] {1}));
        ChainVerifier verifier = ChainVerifier.fromGenesis();
        assertTrue(verifier.accept(entries.get(0)));
        assertFalse(verifier.accept(entries.get(1)));
        assertFalse(verifier.accept(entries.get(2)), "a later, honest entry cannot make the chain verify again");
        assertEquals(2L, verifier.result().firstBadSequence());
        assertEquals(2, verifier.result().checked());
    }

    @Test
    void missingFieldsFail() {
        List<Entry> entries = chain(2);
        Entry second = entries.get(1);
        Result noPrevious = ChainVerifier.verify(List.of(entries.get(0), new Entry(2, null, second.envelope(), second.entryHash())));
        assertEquals(Failure.BROKEN_LINK, noPrevious.failure());
        Result noEnvelope = ChainVerifier.verify(List.of(entries.get(0), new Entry(2, second.previousHash(), null, second.entryHash())));
        assertEquals(Failure.HASH_MISMATCH, noEnvelope.failure());
    }

    @Test
    void anchorsMustBeWellFormed() {
        assertThrows(IllegalArgumentException.class, () -> ChainVerifier.after(3, new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> ChainVerifier.after(-1, new byte[32]));
        byte[] notZero = new byte[32];
        notZero[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> ChainVerifier.after(0, notZero));
    }
}
