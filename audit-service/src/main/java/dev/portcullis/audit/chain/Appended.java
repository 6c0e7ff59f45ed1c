package dev.portcullis.audit.chain;

/** What became of one event offered to the chain, and the sequence of the entry that holds its id. */
public record Appended(Outcome outcome, long sequence) {

    public enum Outcome {
        /** A new entry at the end of the chain. */
        RECORDED,
        /** The event id is already recorded with these very bytes: a redelivery, nothing written. */
        DUPLICATE,
        /** The event id is already recorded with different bytes: nothing written. */
        CONFLICTING
    }
}
