package dev.portcullis.audit.chain;

/** Where the chain ends: the newest entry's sequence and hash (0 and 32 zero bytes when empty). */
public record ChainHead(long sequence, byte[] hash) {

    public String hashHex() {
        return EntryHash.hex(hash);
    }
}
