package dev.portcullis.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tree, proofs and their verification against RFC 9162: the RFC 6962 reference test vectors
 * (the hashing is unchanged in RFC 9162), a direct recursive MTH for every size up to 70, and
 * forged proofs of every kind.
 */
class MerkleProofsTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The eight leaves of the RFC 6962 reference test vectors (certificate-transparency merkle_tree_test). */
    private static final List<byte[]> VECTOR_LEAVES = List.of(HEX.parseHex(""), HEX.parseHex("00"), HEX.parseHex("10"),
            HEX.parseHex("2021"), HEX.parseHex("3031"), HEX.parseHex("40414243"), HEX.parseHex("5051525354555657"),
            HEX.parseHex("606162636465666768696a6b6c6d6e6f"));

    private static final List<String> VECTOR_ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchTheReferenceVectors() {
        InMemoryTree tree = new InMemoryTree();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HEX.formatHex(tree.root()));
        for (int size = 1; size <= 8; size++) {
            tree.append(MerkleHash.leaf(VECTOR_LEAVES.get(size - 1)));
            assertEquals(VECTOR_ROOTS.get(size - 1), HEX.formatHex(tree.root()), "size " + size);
            assertEquals(VECTOR_ROOTS.get(size - 1), HEX.formatHex(MerkleProofs.root(tree, size)), "stored subtrees, size " + size);
        }
    }

    @Test
    void referenceInclusionAndConsistencyVectors() {
        InMemoryTree tree = InMemoryTree.of(VECTOR_LEAVES.stream().map(MerkleHash::leaf).toList());
        // RFC 6962 vectors: leaf 0 in tree 8; leaf 5 in tree 8; consistency 6 -> 8, 2 -> 5, 1 -> 8.
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(MerkleProofs.inclusionPath(tree, 0, 8)));
        assertEquals(List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(MerkleProofs.inclusionPath(tree, 5, 8)));
        assertEquals(List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(MerkleProofs.consistencyProof(tree, 6, 8)));
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"), hex(MerkleProofs.consistencyProof(tree, 2, 5)));
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(MerkleProofs.consistencyProof(tree, 1, 8)));
    }

    @Test
    void everyProofOfEverySizeUpTo70Verifies() {
        List<byte[]> leaves = leaves(70);
        InMemoryTree tree = InMemoryTree.of(leaves);
        for (int n = 1; n <= leaves.size(); n++) {
            byte[] root = reference(leaves.subList(0, n));
            assertArrayEquals(root, MerkleProofs.root(tree, n), "root of " + n);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = MerkleProofs.inclusionPath(tree, i, n);
                assertTrue(MerkleProofs.verifyInclusion(i, n, leaves.get(i), path, root), "leaf " + i + " of " + n);
            }
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = MerkleProofs.consistencyProof(tree, m, n);
                assertTrue(MerkleProofs.verifyConsistency(m, n, proof, reference(leaves.subList(0, m)), root), m + " -> " + n);
            }
        }
    }

    @Test
    void forgedInclusionProofsAreRejected() {
        List<byte[]> leaves = leaves(24);
        InMemoryTree tree = InMemoryTree.of(leaves);
        int n = 23;
        byte[] root = MerkleProofs.root(tree, n);
        for (int i = 0; i < n; i++) {
            List<byte[]> path = MerkleProofs.inclusionPath(tree, i, n);
            for (int s = 0; s < path.size(); s++) {
                List<byte[]> wrongSibling = new ArrayList<>(path);
                byte[] flipped = path.get(s).clone();
                flipped[0] ^= 1;
                wrongSibling.set(s, flipped);
                assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get(i), wrongSibling, root), "wrong sibling " + s + " for " + i);
            }
            if (path.size() > 1) {
                List<byte[]> swapped = new ArrayList<>(path);
                Collections.swap(swapped, 0, 1);
                assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get(i), swapped, root), "swapped order for " + i);
            }
            assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get(i), path.subList(0, path.size() - 1), root), "truncated, " + i);
            List<byte[]> extended = new ArrayList<>(path);
            extended.add(root);
            assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get(i), extended, root), "extended, " + i);
            // A size claim is bound through the root: the same path does not reach the root of another size.
            assertFalse(MerkleProofs.verifyInclusion(i, n + 1, leaves.get(i), path, MerkleProofs.root(tree, n + 1)), "larger size, " + i);
            if (i < n - 1) {
                assertFalse(MerkleProofs.verifyInclusion(i, n - 1, leaves.get(i), path, MerkleProofs.root(tree, n - 1)), "smaller size, " + i);
            }
            assertFalse(MerkleProofs.verifyInclusion((i + 1) % n, n, leaves.get(i), path, root), "wrong index, " + i);
            assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get((i + 1) % n), path, root), "another leaf, " + i);
            assertFalse(MerkleProofs.verifyInclusion(i, n, leaves.get(i), path, MerkleProofs.root(tree, n - 1)), "another root, " + i);
        }
        assertFalse(MerkleProofs.verifyInclusion(n, n, leaves.get(0), List.of(), root), "index beyond the tree");
        assertFalse(MerkleProofs.verifyInclusion(0, 1, leaves.get(0), List.of(), root), "a lone leaf is not this root");
        assertTrue(MerkleProofs.verifyInclusion(0, 1, leaves.get(0), List.of(), leaves.get(0)), "a lone leaf is its own root");
    }

    @Test
    void forgedConsistencyProofsAreRejected() {
        List<byte[]> leaves = leaves(41);
        InMemoryTree tree = InMemoryTree.of(leaves);
        int n = 40;
        byte[] root = MerkleProofs.root(tree, n);
        for (int m = 1; m < n; m++) {
            byte[] old = MerkleProofs.root(tree, m);
            List<byte[]> proof = MerkleProofs.consistencyProof(tree, m, n);
            for (int s = 0; s < proof.size(); s++) {
                List<byte[]> wrong = new ArrayList<>(proof);
                byte[] flipped = proof.get(s).clone();
                flipped[31] ^= 1;
                wrong.set(s, flipped);
                assertFalse(MerkleProofs.verifyConsistency(m, n, wrong, old, root), "wrong node " + s + " for " + m);
            }
            if (proof.size() > 1) {
                List<byte[]> swapped = new ArrayList<>(proof);
                Collections.swap(swapped, proof.size() - 2, proof.size() - 1);
                assertFalse(MerkleProofs.verifyConsistency(m, n, swapped, old, root), "swapped order for " + m);
            }
            assertFalse(MerkleProofs.verifyConsistency(m, n, proof.subList(0, proof.size() - 1), old, root), "truncated, " + m);
            assertFalse(MerkleProofs.verifyConsistency(m, n, List.of(), old, root), "empty, " + m);
            assertFalse(MerkleProofs.verifyConsistency(m, n + 1, proof, old, MerkleProofs.root(tree, n + 1)), "wrong second size, " + m);
            if (m > 1) {
                assertFalse(MerkleProofs.verifyConsistency(m - 1, n, proof, old, root), "wrong first size, " + m);
            }
            // A log that rewrote history: the old root is not a prefix of the new tree.
            assertFalse(MerkleProofs.verifyConsistency(m, n, proof, MerkleProofs.root(tree, m + 1), root), "other old root, " + m);
            List<byte[]> rewritten = new ArrayList<>(leaves.subList(0, n));
            rewritten.set(m - 1, MerkleHash.leaf("rewritten".getBytes(StandardCharsets.US_ASCII)));
            InMemoryTree forged = InMemoryTree.of(rewritten);
            assertFalse(MerkleProofs.verifyConsistency(m, n, MerkleProofs.consistencyProof(forged, m, n), old, forged.root()),
                    "rewritten leaf " + (m - 1));
        }
        assertTrue(MerkleProofs.verifyConsistency(n, n, List.of(), root, root));
        assertFalse(MerkleProofs.verifyConsistency(n, n, List.of(root), root, root));
        assertFalse(MerkleProofs.verifyConsistency(n, n - 1, List.of(), root, root));
    }

    @Test
    void aResumedTreeGrowsLikeTheOriginal() {
        List<byte[]> leaves = leaves(50);
        for (int resumeAt = 0; resumeAt <= 50; resumeAt++) {
            InMemoryTree stored = InMemoryTree.of(leaves.subList(0, Math.max(resumeAt, 0)));
            CompactTree resumed = CompactTree.resume(resumeAt, stored);
            for (byte[] leaf : leaves.subList(resumeAt, 50)) {
                resumed.append(leaf);
            }
            assertArrayEquals(reference(leaves), resumed.root(), "resumed at " + resumeAt);
        }
    }

    /** MTH straight from RFC 9162 §2.1.1. */
    private static byte[] reference(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(n - 1);
        return MerkleHash.node(reference(leafHashes.subList(0, k)), reference(leafHashes.subList(k, n)));
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleHash.leaf(("leaf " + i).getBytes(StandardCharsets.US_ASCII)));
        }
        return leaves;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
