package dev.portcullis.audit.verifier;

import dev.portcullis.audit.proof.TreeHeadKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

/**
 * The command-line audit verifier.
 *
 * <pre>
 * java -jar audit-verifier-VERSION-cli.jar --key tree-head-key.pem export.jsonl
 * java -jar audit-verifier-VERSION-cli.jar --key tree-head-key.pem \
 *      --url 'https://audit.example/v1/audit/export?format=jsonl&amp;from=1&amp;to=5000' --token "$ACCESS_TOKEN"
 * </pre>
 * {@code --key} is the published tree-head key ({@code GET /v1/audit/tree-heads/key}), obtained out of band.
 * Exit status: 0 verified, 1 a bad entry or tree head (reported with its sequence and line), 2 usage or I/O error.
 */
public final class AuditVerifierCli {

    private AuditVerifierCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String key = null;
        String url = null;
        String token = null;
        String file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key" -> key = i + 1 < args.length ? args[++i] : null;
                case "--url" -> url = i + 1 < args.length ? args[++i] : null;
                case "--token" -> token = i + 1 < args.length ? args[++i] : null;
                default -> file = args[i];
            }
        }
        if (key == null || (file == null) == (url == null)) {
            err.println("usage: audit-verifier --key TREE_HEAD_PUBLIC_KEY.pem (EXPORT.jsonl | --url EXPORT_URL [--token ACCESS_TOKEN])");
            return 2;
        }
        PublicKey publicKey;
        List<String> lines;
        try {
            publicKey = TreeHeadKeys.publicKey(Files.readString(Path.of(key), StandardCharsets.US_ASCII));
            lines = file != null ? Files.readAllLines(Path.of(file), StandardCharsets.UTF_8) : fetch(url, token);
        } catch (IOException | IllegalArgumentException e) {
            err.println("audit-verifier: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        ExportVerifier.Report report = ExportVerifier.verify(lines, publicKey);
        if (report.verified()) {
            out.printf("verified: %d entries against the tree head of size %d, root %s, signed by %s%n", report.entries(),
                    report.treeHead().treeSize(), report.treeHead().rootHashHex(), report.treeHead().keyId());
            return 0;
        }
        out.printf("NOT VERIFIED: %s at line %d%s: %s%n", report.failure(), report.line(),
                report.firstBadSequence() == null ? "" : " (entry " + report.firstBadSequence() + ")", report.detail());
        return 1;
    }

    private static List<String> fetch(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String> lines = body.lines().toList();
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + String.join(" ", lines));
            }
            return lines;
        }
    }
}
