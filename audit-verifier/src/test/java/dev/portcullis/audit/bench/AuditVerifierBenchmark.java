package dev.portcullis.audit.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.proof.CompactTree;
import dev.portcullis.audit.proof.InMemoryTree;
import dev.portcullis.audit.proof.MerkleHash;
import dev.portcullis.audit.proof.MerkleProofs;
import dev.portcullis.audit.proof.TreeHead;
import dev.portcullis.audit.proof.TreeHeadKeys;
import dev.portcullis.audit.verifier.ExportVerifier;
import dev.portcullis.audit.verify.ChainVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not a test: excluded from {@code ./mvnw verify}; run with
 * {@code ./mvnw -pl audit-verifier verify -Pbenchmark -Dtest=AuditVerifierBenchmark}; knobs {@code -Dbench.entries},
 * {@code -Dbench.export-entries}, {@code -Dbench.envelope-bytes}). A synthetic log in memory: verifying the whole
 * log against a signed head (every entry's hash and link, the Merkle root recomputed and compared with the signed
 * root, the signature), and verifying a JSON Lines export entry by entry with inclusion proofs. Writes
 * {@code audit-verifier/target/benchmarks/audit-verifier.md}.
 */
@Tag("benchmark")
class AuditVerifierBenchmark {

    static final int ENTRIES = Integer.getInteger("bench.entries", 1_000_000);
    static final int EXPORT_ENTRIES = Integer.getInteger("bench.export-entries", 100_000);
    static final int ENVELOPE_BYTES = Integer.getInteger("bench.envelope-bytes", 200);

    @Test
    void verifyTheWholeLogAndAnExport() throws Exception {
        List<String> lines = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        List<ChainVerifier.Entry> log = new ArrayList<>(ENTRIES);
        byte[] previous = EntryHash.genesis();
        CompactTree signedTree = CompactTree.empty();
        for (long sequence = 1; sequence <= ENTRIES; sequence++) {
            byte[] envelope = new byte[ENVELOPE_BYTES];
            random.nextBytes(envelope);
            byte[] hash = EntryHash.compute(sequence, previous, envelope);
            log.add(new ChainVerifier.Entry(sequence, previous, envelope, hash));
            signedTree.append(MerkleHash.entryLeaf(sequence, previous, envelope));
            previous = hash;
        }
        KeyPair key = TreeHeadKeys.generate();
        long now = System.currentTimeMillis();
        byte[] signedRoot = signedTree.root();
        TreeHead head = new TreeHead(ENTRIES, signedRoot, now, TreeHeadKeys.keyId(key.getPublic()),
                TreeHeadKeys.sign(key.getPrivate(), TreeHead.signedBytes(ENTRIES, signedRoot, now)));

        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            assertTrue(head.verify(key.getPublic()));
            ChainVerifier chain = ChainVerifier.fromGenesis();
            CompactTree tree = CompactTree.empty();
            for (ChainVerifier.Entry entry : log) {
                if (!chain.accept(entry)) {
                    break;
                }
                tree.append(MerkleHash.leaf(EntryHash.encode(entry.sequence(), entry.previousHash(), entry.envelope())));
            }
            assertTrue(chain.verified());
            assertArrayEquals(head.rootHash(), tree.root());
            double seconds = (System.nanoTime() - start) / 1e9;
            lines.add(String.format(Locale.ROOT, "| whole log against a signed head (round %d) | %,d | %d B | %.2f s | %,.0f entries/s |",
                    round + 1, ENTRIES, ENVELOPE_BYTES, seconds, ENTRIES / seconds));
        }

        // An export: the first EXPORT_ENTRIES entries, each with its inclusion proof in the whole tree.
        InMemoryTree full = new InMemoryTree();
        for (ChainVerifier.Entry entry : log) {
            full.append(MerkleHash.entryLeaf(entry.sequence(), entry.previousHash(), entry.envelope()));
        }
        ObjectMapper json = new ObjectMapper();
        HexFormat hex = HexFormat.of();
        List<String> export = new ArrayList<>(EXPORT_ENTRIES + 1);
        Map<String, Object> headLine = new LinkedHashMap<>();
        headLine.put("type", "tree_head");
        headLine.put("treeSize", head.treeSize());
        headLine.put("rootHash", hex.formatHex(head.rootHash()));
        headLine.put("timestampMillis", head.timestampMillis());
        headLine.put("keyId", head.keyId());
        headLine.put("signature", Base64.getEncoder().encodeToString(head.signature()));
        export.add(json.writeValueAsString(headLine));
        for (ChainVerifier.Entry entry : log.subList(0, EXPORT_ENTRIES)) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "entry");
            line.put("sequence", entry.sequence());
            line.put("previousHash", hex.formatHex(entry.previousHash()));
            line.put("entryHash", hex.formatHex(entry.entryHash()));
            line.put("envelope", Base64.getEncoder().encodeToString(entry.envelope()));
            line.put("inclusion", Map.of("leafIndex", entry.sequence() - 1, "treeSize", head.treeSize(), "path",
                    MerkleProofs.inclusionPath(full, entry.sequence() - 1, head.treeSize()).stream().map(hex::formatHex).toList()));
            export.add(json.writeValueAsString(line));
        }
        long bytes = export.stream().mapToLong(String::length).sum();
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            ExportVerifier.Report report = ExportVerifier.verify(export, key.getPublic());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(report.verified(), report::toString);
            assertEquals(EXPORT_ENTRIES, report.entries());
            lines.add(String.format(Locale.ROOT, "| JSON Lines export with inclusion proofs in a %,d-entry tree (round %d) | %,d | %.0f MB | %.2f s | %,.0f entries/s |",
                    ENTRIES, round + 1, EXPORT_ENTRIES, bytes / 1e6, seconds, EXPORT_ENTRIES / seconds));
        }

        Path out = Path.of("target", "benchmarks", "audit-verifier.md");
        Files.createDirectories(out.getParent());
        List<String> table = new ArrayList<>(List.of("| what | entries | envelope / size | time | rate |", "|---|---|---|---|---|"));
        table.addAll(lines);
        Files.write(out, table);
        table.forEach(System.out::println);
    }
}
