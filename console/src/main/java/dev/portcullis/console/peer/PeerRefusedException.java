package dev.portcullis.console.peer;

/** A peer refused an operator's action (403, 409, 422, 400): shown as a page with the peer's own explanation. */
public class PeerRefusedException extends RuntimeException {

    private final int status;
    private final String title;

    public PeerRefusedException(int status, String title, String message) {
        super(message);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The same refusal under a title that names the action ("Approval refused"). */
    public PeerRefusedException titled(String newTitle) {
        return new PeerRefusedException(status, newTitle, getMessage());
    }
}
