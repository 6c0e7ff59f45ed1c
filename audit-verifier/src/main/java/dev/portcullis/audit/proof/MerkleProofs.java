package dev.portcullis.audit.proof;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1: the tree hash of any size, inclusion paths and consistency proofs (§2.1.3.1,
 * §2.1.4.1, generated over stored complete subtrees), and their verification (§2.1.3.2, §2.1.4.2),
 * written from the RFC's text. Leaf indexes start at 0 (audit entry {@code sequence} is leaf
 * {@code sequence - 1}).
 *
 * <p>Every range the RFC's recursions hash, {@code D[start:start+n]}, starts at a multiple of the
 * largest power of two below {@code n} (or of {@code n} itself when it is one), so a range is either
 * one stored complete subtree or a complete left subtree plus a smaller such range on its right.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /** MTH(D[0:size]). */
    public static byte[] root(SubtreeSource source, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a tree size cannot be negative");
        }
        return size == 0 ? MerkleHash.emptyRoot() : hash(source, 0, size);
    }

    /** PATH(index, D[0:size]): the inclusion path of leaf {@code index} in the tree of {@code size} leaves. */
    public static List<byte[]> inclusionPath(SubtreeSource source, long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is not in a tree of size " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(source, index, 0, size, path);
        return path;
    }

    /** PROOF(first, D[0:second]): the consistency proof from the tree of {@code first} leaves to that of {@code second}. */
    public static List<byte[]> consistencyProof(SubtreeSource source, long first, long second) {
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("a consistency proof needs 1 <= first <= second, not " + first + " and " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first < second) {
            subproof(source, first, 0, second, true, proof);
        }
        return proof;
    }

    /**
     * RFC 9162 §2.1.3.2: whether {@code path} proves that {@code leafHash} is leaf {@code index} of the
     * tree of {@code size} leaves whose root is {@code root}.
     */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || size < 1 || index >= size || !isHash(leafHash) || !isHash(root) || path == null) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (!isHash(p) || sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * RFC 9162 §2.1.4.2: whether {@code proof} shows that the tree of {@code first} leaves with root
     * {@code firstRoot} is a prefix of the tree of {@code second} leaves with root {@code secondRoot}.
     * Equal sizes need an empty proof and equal roots.
     */
    public static boolean verifyConsistency(long first, long second, List<byte[]> proof, byte[] firstRoot, byte[] secondRoot) {
        if (first < 1 || second < first || !isHash(firstRoot) || !isHash(secondRoot) || proof == null) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        for (byte[] node : proof) {
            if (!isHash(node)) {
                return false;
            }
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    /** MTH(D[start:start+n]), n >= 1. */
    private static byte[] hash(SubtreeSource source, long start, long n) {
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return source.complete(level, start >> level);
        }
        long k = Long.highestOneBit(n);
        return MerkleHash.node(hash(source, start, k), hash(source, start + k, n - k));
    }

    /** PATH(m, D[start:start+n]). */
    private static void path(SubtreeSource source, long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(source, m, start, k, out);
            out.add(hash(source, start + k, n - k));
        } else {
            path(source, m - k, start + k, n - k, out);
            out.add(hash(source, start, k));
        }
    }

    /** SUBPROOF(m, D[start:start+n], b). */
    private static void subproof(SubtreeSource source, long m, long start, long n, boolean b, List<byte[]> out) {
        if (m == n) {
            if (!b) {
                out.add(hash(source, start, n));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(source, m, start, k, b, out);
            out.add(hash(source, start + k, n - k));
        } else {
            subproof(source, m - k, start + k, n - k, false, out);
            out.add(hash(source, start, k));
        }
    }

    /** The largest power of two strictly smaller than {@code n} (n >= 2). */
    private static long largestPowerOfTwoBelow(long n) {
        long k = Long.highestOneBit(n);
        return k == n ? k >> 1 : k;
    }

    private static boolean isHash(byte[] value) {
        return value != null && value.length == MerkleHash.LENGTH;
    }
}
