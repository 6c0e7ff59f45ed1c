package dev.portcullis.audit.chain;

/** A record that cannot be an audit entry: not an EventEnvelope, or one without a usable identity. */
public class InvalidEventException extends Exception {

    public InvalidEventException(String message) {
        super(message, null, false, false);
    }
}
