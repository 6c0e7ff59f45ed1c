package dev.portcullis.load;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A scenario file (properties): what to do ({@code kind} = unlock, login, token or event), at which constant rates in
 * turn ({@code rates}, per second), for how long each ({@code seconds}), after an unrecorded warm-up
 * ({@code warm-up-seconds} at {@code warm-up-rate}, default the first rate), against which demo doors
 * ({@code doors}, by name, used in turn), with at most {@code max-in-flight} requests outstanding.
 */
public record Scenario(String name, Kind kind, List<Integer> rates, Duration phase, Duration warmUp, int warmUpRate,
        List<String> doors, int maxInFlight) {

    public enum Kind { UNLOCK, LOGIN, TOKEN, EVENT }

    /** Bounds that keep every run finite on a development machine. */
    static final int MAX_RATE = 5_000;
    static final int MAX_SECONDS = 600;

    public static Scenario load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        String name = file.getFileName().toString().replaceFirst("\\.properties$", "");
        Kind kind = Kind.valueOf(required(properties, "kind").trim().toUpperCase());
        List<Integer> rates = Arrays.stream(required(properties, "rates").split(",")).map(String::trim)
                .map(rate -> bounded("rates", Integer.parseInt(rate), 1, MAX_RATE)).toList();
        int seconds = bounded("seconds", Integer.parseInt(required(properties, "seconds").trim()), 1, MAX_SECONDS);
        int warmUp = bounded("warm-up-seconds", Integer.parseInt(properties.getProperty("warm-up-seconds", "0").trim()), 0, MAX_SECONDS);
        int warmUpRate = bounded("warm-up-rate", Integer.parseInt(properties.getProperty("warm-up-rate", String.valueOf(rates.get(0))).trim()),
                1, MAX_RATE);
        List<String> doors = Arrays.stream(properties.getProperty("doors", "Front entrance").split(",")).map(String::trim)
                .filter(door -> !door.isEmpty()).toList();
        int maxInFlight = bounded("max-in-flight", Integer.parseInt(properties.getProperty("max-in-flight", "1000").trim()), 1, 10_000);
        return new Scenario(name, kind, rates, Duration.ofSeconds(seconds), Duration.ofSeconds(warmUp), warmUpRate, doors, maxInFlight);
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("scenario is missing '" + key + "'");
        }
        return value;
    }

    private static int bounded(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}
