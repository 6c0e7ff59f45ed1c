package dev.portcullis.console.registry;

/** device-registry could not be reached or answered something the console cannot show. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message) {
        super(message);
    }
}
