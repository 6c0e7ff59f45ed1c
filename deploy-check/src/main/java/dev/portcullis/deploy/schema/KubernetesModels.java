package dev.portcullis.deploy.schema;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.portcullis.deploy.render.KubeObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Core kinds against the JSON schemas of the npm package {@code kubernetes-models} (types and required
 * fields), run through node. The package is installed with npm into a directory of the build (npm's cache
 * makes later installs offline).
 */
public final class KubernetesModels {

    public static final String CHECK = "kubernetes-models";
    private static final String SCRIPT = "kubernetes-models-validate.cjs";

    private final Path prefix;

    private KubernetesModels(Path prefix) {
        this.prefix = prefix;
    }

    /** Whether node and npm can be run here. */
    public static boolean available() {
        return runs("node", "--version") && runs("npm", "--version");
    }

    /** Installs {@code kubernetes-models@version} under {@code prefix} unless that version is there already. */
    public static KubernetesModels install(Path prefix, String version) {
        try {
            Files.createDirectories(prefix);
            Path installed = prefix.resolve("node_modules/kubernetes-models/package.json");
            if (!Files.exists(installed) || !Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
                exec(prefix, null, "npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund", "--prefer-offline",
                        "--no-save", "--loglevel=error", "kubernetes-models@" + version);
            }
            try (InputStream script = KubernetesModels.class.getResourceAsStream("/" + SCRIPT)) {
                Files.write(prefix.resolve(SCRIPT), script.readAllBytes());
            }
            return new KubernetesModels(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Violation> validate(List<KubeObject> objects) {
        Gson gson = new Gson();
        String input = gson.toJson(objects.stream().map(KubeObject::content).toList());
        String output = exec(prefix, input, "node", prefix.resolve(SCRIPT).toString());
        List<Violation> violations = new ArrayList<>();
        for (JsonElement element : gson.fromJson(output, JsonArray.class)) {
            JsonObject finding = element.getAsJsonObject();
            KubeObject object = objects.get(finding.get("index").getAsInt());
            violations.add(new Violation(object.id(), CHECK, finding.get("message").getAsString()));
        }
        return violations;
    }

    private static boolean runs(String... command) {
        try {
            exec(Path.of("."), null, command);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static String exec(Path directory, String stdin, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(stdin == null).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[][] errors = new byte[1][];
            Thread stderr = new Thread(() -> {
                try {
                    errors[0] = process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    errors[0] = new byte[0];
                }
            }, "stderr of " + command[0]);
            stderr.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(600, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 600 s");
            }
            stderr.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + out
                        + new String(errors[0], StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
