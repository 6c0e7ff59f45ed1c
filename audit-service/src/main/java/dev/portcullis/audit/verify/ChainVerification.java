package dev.portcullis.audit.verify;

import dev.portcullis.audit.chain.AuditEntryEntity;
import dev.portcullis.audit.chain.ChainHead;
import dev.portcullis.audit.chain.ChainRepository;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.chain.InvalidEventException;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.List;

/**
 * Re-verifies a range of the stored chain: each entry's hash and link ({@link ChainVerifier}), and
 * that its indexed columns are what its envelope says (so an entry cannot be moved to another
 * organization, door or actor by editing a column). Reads in batches, each in its own session.
 */
@ApplicationScoped
public class ChainVerification {

    @Inject
    ChainRepository chain;

    @Inject
    VerifyConfig config;

    public Uni<VerificationReport> verify(Long requestedFrom, Long requestedTo) {
        long from = requestedFrom == null ? 1 : requestedFrom;
        if (from < 1) {
            throw ProblemException.badRequest("invalid-parameter", "from must be a sequence number (a whole number from 1)")
                    .with("parameter", "from");
        }
        if (requestedTo != null && requestedTo < from) {
            throw ProblemException.badRequest("invalid-parameter", "to must not be below from").with("parameter", "to");
        }
        return chain.head().flatMap(head -> {
            long to = Math.min(requestedTo == null ? head.sequence() : requestedTo, head.sequence());
            to = Math.min(to, from + config.maxRange() - 1);
            long end = to;
            if (from > end) {
                return Uni.createFrom().item(report(ChainVerifier.fromGenesis(), from, end, head));
            }
            return anchor(from).flatMap(verifier -> verifier.verified()
                    ? verifyFrom(verifier, end).map(done -> checkHead(done, end, head))
                    : Uni.createFrom().item(verifier))
                    .map(verifier -> report(verifier, from, end, head));
        });
    }

    /** The verifier positioned before {@code from}: the genesis, or the stored hash of entry {@code from - 1}. */
    private Uni<ChainVerifier> anchor(long from) {
        if (from == 1) {
            return Uni.createFrom().item(ChainVerifier.fromGenesis());
        }
        return chain.findBySequence(from - 1).map(previous -> {
            if (previous == null || previous.entryHash == null || previous.entryHash.length != EntryHash.LENGTH) {
                ChainVerifier broken = ChainVerifier.fromGenesis();
                broken.fail(from - 1, ChainVerifier.Failure.MISSING_ENTRY);
                return broken;
            }
            return ChainVerifier.after(from - 1, previous.entryHash);
        });
    }

    private Uni<ChainVerifier> verifyFrom(ChainVerifier verifier, long to) {
        long next = verifier.expectedSequence();
        if (next > to || !verifier.verified()) {
            return Uni.createFrom().item(verifier);
        }
        return chain.range(next, to, config.batchSize()).flatMap(batch -> {
            if (batch.isEmpty()) {
                verifier.fail(next, ChainVerifier.Failure.MISSING_ENTRY);
                return Uni.createFrom().item(verifier);
            }
            check(verifier, batch);
            return verifyFrom(verifier, to);
        });
    }

    private static void check(ChainVerifier verifier, List<AuditEntryEntity> batch) {
        for (AuditEntryEntity entry : batch) {
            if (!verifier.accept(new ChainVerifier.Entry(entry.sequence, entry.previousHash, entry.envelope, entry.entryHash))) {
                return;
            }
            if (!columnsMatch(entry)) {
                verifier.fail(entry.sequence, ChainVerifier.Failure.COLUMNS_MISMATCH);
                return;
            }
        }
    }

    private static boolean columnsMatch(AuditEntryEntity entry) {
        try {
            return EntryColumns.derive(entry.envelope).sameAs(entry.columns());
        } catch (InvalidEventException e) {
            return false;
        }
    }

    /** When the range ends at the head, the head must be exactly the last entry verified. */
    private static ChainVerifier checkHead(ChainVerifier verifier, long to, ChainHead head) {
        if (verifier.verified() && to == head.sequence()) {
            ChainVerifier.Result result = verifier.result();
            if (result.lastSequence() != head.sequence() || !MessageDigest.isEqual(result.lastHash(), head.hash())) {
                verifier.fail(head.sequence(), ChainVerifier.Failure.HEAD_MISMATCH);
            }
        }
        return verifier;
    }

    private static VerificationReport report(ChainVerifier verifier, long from, long to, ChainHead head) {
        ChainVerifier.Result result = verifier.result();
        return new VerificationReport(result.verified(), result.checked(), result.firstBadSequence(),
                result.failure() == null ? null : result.failure().name(), from, to,
                new VerificationReport.Head(head.sequence(), head.hashHex()));
    }
}
