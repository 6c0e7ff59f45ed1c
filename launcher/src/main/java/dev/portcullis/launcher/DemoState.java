package dev.portcullis.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/** The installation's demo portfolio, kept (0600) in the state directory so restarts reuse its secrets. */
public final class DemoState {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoState() {
    }

    public static Optional<DemoPortfolio> load(Path stateDir) throws IOException {
        Path file = stateDir.resolve("demo-portfolio.json");
        return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), DemoPortfolio.class)) : Optional.empty();
    }

    public static DemoPortfolio create(Path stateDir) throws IOException {
        DemoPortfolio demo = DemoPortfolio.generate(new SecureRandom());
        writePrivate(stateDir.resolve("demo-portfolio.json"), JSON.writeValueAsString(demo));
        return demo;
    }

    public static void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    public static String json(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }
}
