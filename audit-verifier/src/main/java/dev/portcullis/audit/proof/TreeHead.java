package dev.portcullis.audit.proof;

import dev.portcullis.audit.chain.EntryHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * A signed tree head: the log's Merkle root at a size, when it was taken, signed with Ed25519 by the
 * audit-service's tree-head key (which does not live in the database).
 *
 * <pre>
 * signed = u32(len(TAG)) || TAG || u64(tree_size) || u64(timestamp, ms since the epoch)
 *       || u32(len(root_hash)) || root_hash          TAG = "portcullis/audit/tree-head/v1"
 * </pre>
 */
public record TreeHead(long treeSize, byte[] rootHash, long timestampMillis, String keyId, byte[] signature) {

    public static final String TAG = "portcullis/audit/tree-head/v1";

    private static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.US_ASCII);

    public static byte[] signedBytes(long treeSize, byte[] rootHash, long timestampMillis) {
        if (treeSize < 0 || rootHash == null || rootHash.length != MerkleHash.LENGTH) {
            throw new IllegalArgumentException("a tree head has a size >= 0 and a 32-byte root");
        }
        return ByteBuffer.allocate(4 + TAG_BYTES.length + 8 + 8 + 4 + rootHash.length)
                .putInt(TAG_BYTES.length).put(TAG_BYTES)
                .putLong(treeSize).putLong(timestampMillis)
                .putInt(rootHash.length).put(rootHash)
                .array();
    }

    public byte[] signedBytes() {
        return signedBytes(treeSize, rootHash, timestampMillis);
    }

    /** Whether the signature is valid for this head under {@code key} (an Ed25519 public key). */
    public boolean verify(PublicKey key) {
        if (signature == null || rootHash == null || rootHash.length != MerkleHash.LENGTH || treeSize < 0) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedBytes());
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public String rootHashHex() {
        return EntryHash.hex(rootHash);
    }
}
