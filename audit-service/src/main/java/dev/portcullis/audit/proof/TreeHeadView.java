package dev.portcullis.audit.proof;

import dev.portcullis.audit.chain.EntryHash;
import java.time.Instant;
import java.util.Base64;

/** A signed tree head as the API and exports show it (root in hex, signature in base64). */
public record TreeHeadView(String type, long treeSize, String rootHash, Instant timestamp, long timestampMillis, String keyId,
        String signature) {

    public static TreeHeadView of(TreeHead head) {
        return new TreeHeadView("tree_head", head.treeSize(), EntryHash.hex(head.rootHash()), Instant.ofEpochMilli(head.timestampMillis()),
                head.timestampMillis(), head.keyId(), Base64.getEncoder().encodeToString(head.signature()));
    }
}
