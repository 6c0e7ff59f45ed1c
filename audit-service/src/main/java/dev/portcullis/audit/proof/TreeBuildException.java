package dev.portcullis.audit.proof;

import dev.portcullis.kit.problem.ProblemException;

/**
 * The chain does not verify where the tree was to be extended: no tree head is signed over it. A request
 * that needed the tree extended answers 409 {@code chain-broken} naming the entry.
 */
public class TreeBuildException extends ProblemException {

    private final long sequence;

    public TreeBuildException(long sequence, String message) {
        super(409, "chain-broken", "The audit chain does not verify", message + "; the Merkle tree is not extended over it");
        this.sequence = sequence;
        with("sequence", sequence);
    }

    public long sequence() {
        return sequence;
    }
}
