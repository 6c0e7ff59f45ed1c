package dev.portcullis.audit.proof;

import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Inclusion and consistency proofs at any tree size the chain has reached (the tree is extended to it first). */
@ApplicationScoped
public class Proofs {

    /** RFC 9162 inclusion proof: entry {@code sequence} is leaf {@code leafIndex} of the tree of {@code treeSize} leaves. */
    public record Inclusion(long sequence, long leafIndex, long treeSize, String leafHash, List<String> path) {
    }

    /** RFC 9162 consistency proof from the tree of {@code first} leaves to the tree of {@code second}. */
    public record Consistency(long first, long second, List<String> proof) {
    }

    @Inject
    MerkleTreeLog tree;

    public Uni<Inclusion> inclusion(long sequence, long treeSize) {
        if (sequence > treeSize) {
            throw ProblemException.badRequest("invalid-parameter", "sequence must not be above treeSize").with("parameter", "sequence");
        }
        return covered(treeSize).flatMap(ignored -> tree.compute(source -> new Inclusion(sequence, sequence - 1, treeSize,
                EntryHash.hex(source.complete(0, sequence - 1)),
                hex(MerkleProofs.inclusionPath(source, sequence - 1, treeSize)))));
    }

    public Uni<Consistency> consistency(long first, long second) {
        if (first > second) {
            throw ProblemException.badRequest("invalid-parameter", "first must not be above second").with("parameter", "first");
        }
        return covered(second).flatMap(ignored -> tree.compute(source -> new Consistency(first, second,
                hex(MerkleProofs.consistencyProof(source, first, second)))));
    }

    /** Extends the tree to {@code size}; a size beyond the log is a 400. */
    private Uni<Long> covered(long size) {
        return tree.extendTo(size).map(covered -> {
            if (covered < size) {
                throw ProblemException.badRequest("invalid-parameter", "the log has only " + covered + " entries")
                        .with("parameter", "treeSize");
            }
            return covered;
        });
    }

    static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(EntryHash::hex).toList();
    }
}
