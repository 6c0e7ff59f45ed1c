package dev.portcullis.console.tenant;

/** policy-service, command-service or device-registry could not be reached or answered something the page cannot show. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message) {
        super(message);
    }
}
