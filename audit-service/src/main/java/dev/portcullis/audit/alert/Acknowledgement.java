package dev.portcullis.audit.alert;

/** {@code POST /v1/alerts/{id}/acknowledgement} body: an optional note (at most 500 characters). */
public record Acknowledgement(String note) {
}
