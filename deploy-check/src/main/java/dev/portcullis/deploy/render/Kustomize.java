package dev.portcullis.deploy.render;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Renders a kustomization with {@code kubectl kustomize} (no cluster involved) and parses the objects. */
public final class Kustomize {

    private Kustomize() {
    }

    /** Whether {@code kubectl} can be run here. */
    public static boolean available() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static List<KubeObject> render(Path kustomization) {
        String yaml = run(List.of("kubectl", "kustomize", kustomization.toString()));
        return parse(yaml);
    }

    /** Every non-empty document of a multi-document YAML stream. */
    @SuppressWarnings("unchecked")
    public static List<KubeObject> parse(String yaml) {
        List<KubeObject> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                objects.add(new KubeObject((Map<String, Object>) map));
            } else if (document != null) {
                throw new IllegalArgumentException("a YAML document that is not an object: " + document);
            }
        }
        return objects;
    }

    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            byte[][] streams = new byte[2][];
            Thread stderr = new Thread(() -> streams[1] = readAll(process.getErrorStream()), "stderr of " + command.get(0));
            stderr.start();
            streams[0] = readAll(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
            }
            stderr.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + new String(streams[1], StandardCharsets.UTF_8));
            }
            return new String(streams[0], StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return e.getMessage().getBytes(StandardCharsets.UTF_8);
        }
    }
}
