package dev.portcullis.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs external commands with their output in a log file, and turns failures into readable errors. */
public final class Commands {

    private Commands() {
    }

    /** The outcome of one command. */
    public record Result(List<String> command, int exitCode, Path log) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Throws an {@link IllegalStateException} naming the command, its exit code, its log and the log's tail. */
        public Result orThrow(String what) {
            if (!ok()) {
                throw new IllegalStateException(what + ": `" + String.join(" ", command) + "` exited with " + exitCode
                        + " (output in " + log + ")" + tailOf(log, 20));
            }
            return this;
        }
    }

    /**
     * Runs {@code command} in {@code directory}, appending its standard output and error to {@code log}, and
     * waits at most {@code timeout}. Standard input is {@code /dev/null}.
     */
    public static Result run(List<String> command, Path directory, Path log, Duration timeout, Map<String, String> env) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish within "
                        + timeout.toSeconds() + " s (output in " + log + ")" + tailOf(log, 20));
            }
            return new Result(command, process.exitValue(), log);
        } catch (IOException e) {
            throw new IllegalStateException("could not run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running `" + String.join(" ", command) + "`", e);
        }
    }

    /** Runs a short command and returns its standard output (empty on failure). */
    public static String output(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] bytes = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return "";
            }
            return process.exitValue() == 0 ? new String(bytes, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The last {@code lines} lines of a log file, prefixed by a newline, or "" when there is none. */
    public static String tailOf(Path log, int lines) {
        try {
            if (log == null || !Files.isRegularFile(log)) {
                return "";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            return tail.isEmpty() ? "" : "\n--- last lines of " + log + " ---\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Whether this process runs as root (uid 0). */
    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Deletes a directory tree, ignoring what cannot be deleted. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path path : paths) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
