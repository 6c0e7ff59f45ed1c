package dev.portcullis.audit.verify;

/**
 * The answer of {@code GET /v1/audit/verify}.
 *
 * @param verified         every entry in {@code [from, to]} re-derives (hash, link, columns)
 * @param checked          entries examined (the bad one included)
 * @param firstBadSequence the first entry that failed, null when verified
 * @param failure          why, null when verified (a {@link ChainVerifier.Failure} name)
 * @param from             the first sequence checked
 * @param to               the last sequence checked (the requested {@code to}, clamped to the head and the maximum range)
 * @param head             the log's head when the check ran; when {@code to} reaches it, its hash was checked too
 * @param treeHead         the newest signed tree head, when the entries from 1 to its size were compared with its root
 *                         (null when the range did not start at 1 or did not reach it)
 */
public record VerificationReport(boolean verified, long checked, Long firstBadSequence, String failure, long from, long to,
        Head head, SignedHead treeHead) {

    public record Head(long sequence, String hash) {
    }

    public record SignedHead(long treeSize, String rootHash) {
    }
}
