package dev.portcullis.console.peer;

/** A peer service could not be reached or failed (5xx, timeout): a 502 page naming the service, detail in the log. */
public class PeerUnavailableException extends RuntimeException {

    private final String peer;

    public PeerUnavailableException(String peer, String detail) {
        super(detail);
        this.peer = peer;
    }

    /** The service as an operator knows it ("command-service"). */
    public String peer() {
        return peer;
    }
}
