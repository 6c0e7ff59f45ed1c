package dev.portcullis.console.operator;

/** The signed-in person may not see operator pages (no operator role, no organization, or the registry said 403). */
public class NotAnOperatorException extends RuntimeException {

    public NotAnOperatorException(String message) {
        super(message);
    }
}
