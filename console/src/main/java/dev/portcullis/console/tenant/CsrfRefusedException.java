package dev.portcullis.console.tenant;

/** A form POST without this browser's CSRF token, or from another origin: nothing was done. */
public class CsrfRefusedException extends RuntimeException {

    public CsrfRefusedException(String message) {
        super(message);
    }
}
