package dev.portcullis.console.views;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.proof.InMemoryTree;
import dev.portcullis.audit.proof.MerkleHash;
import dev.portcullis.audit.proof.MerkleProofs;
import dev.portcullis.audit.proof.TreeHead;
import dev.portcullis.audit.proof.TreeHeadKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Stands in for audit-service and policy-service in the console's view tests (ConsoleViewsBrowserIT uses the real
 * ones): canned answers per route, every request recorded (method, path with query, Authorization, Accept, body).
 * Its exports are real ones: entries chained with {@link EntryHash}, an RFC 9162 tree, a tree head signed with an
 * Ed25519 key whose public block is written to the file the console pins ({@link #keyFile}).
 */
public final class AuditPolicyStandIn implements QuarkusTestResourceLifecycleManager {

    public record Call(String method, String path, String authorization, String accept, String body) {
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** Canned answers by route ("GET /v1/alerts"); the value is status and body. */
    public static final Map<String, Answer> ANSWERS = new java.util.concurrent.ConcurrentHashMap<>();

    public record Answer(int status, String contentType, String body) {
    }

    static KeyPair key;
    static KeyPair otherKey;
    static Path keyFile;
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            key = TreeHeadKeys.generate();
            otherKey = TreeHeadKeys.generate();
            keyFile = Files.createTempFile("console-tree-head-key", ".pem");
            Files.writeString(keyFile, TreeHeadKeys.publicKeyPem(key.getPublic()));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", AuditPolicyStandIn::answer);
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("portcullis.console.audit-url", url, "portcullis.console.policy-url", url,
                "portcullis.console.audit-tree-head-key-file", keyFile.toString());
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    public static List<Call> calls(String pathPrefix) {
        return CALLS.stream().filter(call -> call.path().startsWith(pathPrefix)).toList();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        CALLS.add(new Call(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query),
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Accept"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        String route = exchange.getRequestMethod() + " " + path;
        Answer answer = ANSWERS.get(route);
        if (answer == null && route.endsWith("/access")) {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            answer = ANSWERS.get(route + (accept != null && accept.contains("text/csv") ? " csv" : " json"));
        }
        if (answer == null) {
            answer = new Answer(404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404}");
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A signed export of {@code size} entries (the whole log), and its tree head as JSON. */
    public record Export(String jsonLines, String treeHead) {
    }

    public static Export export(int size, KeyPair signer) {
        List<byte[]> envelopes = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        List<byte[]> previous = new ArrayList<>();
        InMemoryTree tree = InMemoryTree.of(List.of());
        byte[] last = EntryHash.genesis();
        for (int sequence = 1; sequence <= size; sequence++) {
            byte[] envelope = ("envelope " + sequence).getBytes(StandardCharsets.UTF_8);
            envelopes.add(envelope);
            previous.add(last);
            last = EntryHash.compute(sequence, previous.get(sequence - 1), envelope);
            hashes.add(last);
            tree.append(MerkleHash.entryLeaf(sequence, previous.get(sequence - 1), envelope));
        }
        long millis = System.currentTimeMillis();
        byte[] root = tree.root();
        byte[] signature = TreeHeadKeys.sign(signer.getPrivate(), TreeHead.signedBytes(size, root, millis));
        String head = "{\"type\":\"tree_head\",\"treeSize\":%d,\"rootHash\":\"%s\",\"timestamp\":\"x\",\"timestampMillis\":%d,\"keyId\":\"k\",\"signature\":\"%s\"}"
                .formatted(size, HexFormat.of().formatHex(root), millis, Base64.getEncoder().encodeToString(signature));
        StringBuilder lines = new StringBuilder(head).append('\n');
        for (int sequence = 1; sequence <= size; sequence++) {
            String path = MerkleProofs.inclusionPath(tree, sequence - 1, size).stream()
                    .map(node -> "\"" + HexFormat.of().formatHex(node) + "\"").collect(Collectors.joining(","));
            lines.append("{\"type\":\"entry\",\"sequence\":%d,\"eventType\":\"unlock_decided\",\"previousHash\":\"%s\",\"entryHash\":\"%s\",\"envelope\":\"%s\",\"inclusion\":{\"leafIndex\":%d,\"treeSize\":%d,\"path\":[%s]}}"
                    .formatted(sequence, HexFormat.of().formatHex(previous.get(sequence - 1)), HexFormat.of().formatHex(hashes.get(sequence - 1)),
                            Base64.getEncoder().encodeToString(envelopes.get(sequence - 1)), sequence - 1, size, path))
                    .append('\n');
        }
        return new Export(lines.toString(), head);
    }
}
