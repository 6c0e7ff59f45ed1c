package dev.portcullis.console.audit;

/** audit-service or policy-service could not be reached or answered something a page cannot show. */
public class ServiceUnavailableException extends RuntimeException {

    private final String service;

    public ServiceUnavailableException(String service, String message) {
        super(message);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
