package dev.portcullis.registry;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Identifiers as they arrive from clients: only the canonical 36-character UUID form is accepted. */
public final class Ids {

    private Ids() {
    }

    public static Optional<UUID> uuid(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(value);
            return id.toString().equals(value.toLowerCase(Locale.ROOT)) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
