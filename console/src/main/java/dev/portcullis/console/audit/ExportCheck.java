package dev.portcullis.console.audit;

import io.quarkus.qute.TemplateData;

/**
 * What the console found checking an export before offering it.
 *
 * @param verified   the export verified (head signature, every entry's hash, links and inclusion proof) and its head
 *                   agrees with the latest signed tree head
 * @param treeSize   the size of the signed tree head the export is bounded by (0 when it could not be read)
 * @param entries    entries checked
 * @param failure    the verifier's finding when not verified (e.g. "HASH_MISMATCH at line 3 (entry 17): ...")
 * @param keyPinned  the tree-head key came from the console's configuration, not from audit-service
 * @param text       the export itself (JSON Lines), offered only when verified
 */
@TemplateData
public record ExportCheck(boolean verified, long treeSize, long entries, String failure, boolean keyPinned, String text) {
}
