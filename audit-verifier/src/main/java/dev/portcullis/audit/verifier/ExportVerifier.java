package dev.portcullis.audit.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.proof.MerkleHash;
import dev.portcullis.audit.proof.MerkleProofs;
import dev.portcullis.audit.proof.TreeHead;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifies a JSON Lines export offline: its first line is a signed tree head, every other line an
 * entry with its inclusion proof against that head. Checks the head's signature with the published
 * key; for each entry, in order: ascending sequence within the head, its entry hash recomputed from
 * (sequence, previous hash, envelope), its link to the entry before it when that one is in the
 * export too, and its leaf's inclusion proof against the signed root. Stops at the first bad entry.
 * The other fields of an entry (door, actor, ...) are derived from its envelope and not checked here.
 */
public final class ExportVerifier {

    public enum Failure {
        /** The first line is not a tree head, or a line is not JSON of the expected shape. */
        MALFORMED,
        /** The tree head's signature does not verify with the given key. */
        TREE_HEAD_SIGNATURE,
        /** Entries are not in ascending sequence, or lie beyond the tree head. */
        OUT_OF_SEQUENCE,
        /** The entry's hash does not match its content. */
        HASH_MISMATCH,
        /** The entry's previous hash is not the hash of the entry before it. */
        BROKEN_LINK,
        /** The inclusion proof does not lead from the entry's leaf to the signed root. */
        INCLUSION_PROOF
    }

    /**
     * @param line             the 1-based line of the first failure, or null
     * @param firstBadSequence the entry that failed (null when verified, or when the head itself failed)
     */
    public record Report(boolean verified, long entries, Long firstBadSequence, Integer line, Failure failure, String detail,
            TreeHead treeHead) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportVerifier() {
    }

    public static Report verify(BufferedReader export, PublicKey key) {
        try {
            return verify(export.lines().toList(), key);
        } catch (UncheckedIOException e) {
            return new Report(false, 0, null, null, Failure.MALFORMED, "could not read the export: " + e.getMessage(), null);
        }
    }

    public static Report verify(List<String> lines, PublicKey key) {
        if (lines.isEmpty()) {
            return new Report(false, 0, null, 1, Failure.MALFORMED, "empty export: no tree head", null);
        }
        TreeHead head;
        try {
            head = treeHead(JSON.readTree(lines.get(0)));
        } catch (IOException | RuntimeException e) {
            return new Report(false, 0, null, 1, Failure.MALFORMED, "the first line is not a tree head: " + e.getMessage(), null);
        }
        if (!head.verify(key)) {
            return new Report(false, 0, null, 1, Failure.TREE_HEAD_SIGNATURE, "the tree head's signature does not verify", head);
        }
        long checked = 0;
        long lastSequence = 0;
        byte[] lastHash = null;
        for (int i = 1; i < lines.size(); i++) {
            int line = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            Long sequence = null;
            try {
                JsonNode entry = JSON.readTree(lines.get(i));
                if (!"entry".equals(entry.path("type").asText())) {
                    return new Report(false, checked, null, line, Failure.MALFORMED, "not an entry", head);
                }
                sequence = entry.get("sequence").longValue();
                checked++;
                byte[] previousHash = hex(entry.get("previousHash"));
                byte[] entryHash = hex(entry.get("entryHash"));
                byte[] envelope = Base64.getDecoder().decode(entry.get("envelope").textValue());
                if (sequence <= lastSequence || sequence > head.treeSize()) {
                    return new Report(false, checked, sequence, line, Failure.OUT_OF_SEQUENCE,
                            "sequence " + sequence + " is not above " + lastSequence + " and within the tree head", head);
                }
                if (!MessageDigest.isEqual(EntryHash.compute(sequence, previousHash, envelope), entryHash)) {
                    return new Report(false, checked, sequence, line, Failure.HASH_MISMATCH, "the entry's hash does not match its content", head);
                }
                if (lastHash != null && sequence == lastSequence + 1 && !MessageDigest.isEqual(previousHash, lastHash)) {
                    return new Report(false, checked, sequence, line, Failure.BROKEN_LINK, "the entry does not chain to the one before it", head);
                }
                JsonNode inclusion = entry.get("inclusion");
                List<byte[]> path = new ArrayList<>();
                for (JsonNode node : inclusion.get("path")) {
                    path.add(hex(node));
                }
                long leafIndex = inclusion.get("leafIndex").longValue();
                long treeSize = inclusion.get("treeSize").longValue();
                byte[] leaf = MerkleHash.entryLeaf(sequence, previousHash, envelope);
                if (leafIndex != sequence - 1 || treeSize != head.treeSize()
                        || !MerkleProofs.verifyInclusion(leafIndex, treeSize, leaf, path, head.rootHash())) {
                    return new Report(false, checked, sequence, line, Failure.INCLUSION_PROOF,
                            "the inclusion proof does not lead to the signed root", head);
                }
                lastSequence = sequence;
                lastHash = entryHash;
            } catch (IOException | RuntimeException e) {
                return new Report(false, checked, sequence, line, Failure.MALFORMED, "malformed entry: " + e.getMessage(), head);
            }
        }
        return new Report(true, checked, null, null, null, null, head);
    }

    /** Reads a tree head as the API and exports write it. */
    public static TreeHead treeHead(JsonNode json) {
        if (json.has("type") && !"tree_head".equals(json.get("type").asText())) {
            throw new IllegalArgumentException("type is not tree_head");
        }
        return new TreeHead(json.get("treeSize").longValue(), hex(json.get("rootHash")), json.get("timestampMillis").longValue(),
                json.path("keyId").asText(null), Base64.getDecoder().decode(json.get("signature").textValue()));
    }

    private static byte[] hex(JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("a hash must be a hex string");
        }
        byte[] bytes = HexFormat.of().parseHex(node.textValue());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a hash is 32 bytes");
        }
        return bytes;
    }
}
