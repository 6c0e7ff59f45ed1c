package dev.portcullis.console.audit;

/** A service refused the request (400 bad parameter, 409 conflict) with a sentence meant for people. */
public class ServiceRefusedException extends RuntimeException {

    private final int status;

    public ServiceRefusedException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
