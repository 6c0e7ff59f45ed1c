package dev.portcullis.deploy.schema;

/** One thing wrong with one rendered object: which object, which check, what. */
public record Violation(String object, String check, String message) {

    @Override
    public String toString() {
        return "[" + check + "] " + object + ": " + message;
    }
}
