package dev.portcullis.audit.proof;

/** The chain does not verify where the tree was to be extended: no tree head is signed over it. */
public class TreeBuildException extends RuntimeException {

    private final long sequence;

    public TreeBuildException(long sequence, String message) {
        super(message, null, false, false);
        this.sequence = sequence;
    }

    public long sequence() {
        return sequence;
    }
}
