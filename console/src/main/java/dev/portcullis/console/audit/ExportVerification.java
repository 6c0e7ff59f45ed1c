package dev.portcullis.console.audit;

import dev.portcullis.audit.proof.MerkleProofs;
import dev.portcullis.audit.proof.TreeHead;
import dev.portcullis.audit.proof.TreeHeadKeys;
import dev.portcullis.audit.verifier.ExportVerifier;
import dev.portcullis.console.ConsoleConfig;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fetches an export from audit-service and verifies it with the {@code audit-verifier} library before the console
 * offers it: the tree head's signature under the pinned key (or the published one, said so), every entry's hash,
 * link and inclusion proof against that head ({@link ExportVerifier}); then the export's head against the latest
 * signed head (same root at the same size, else a verified RFC 9162 consistency proof from the export's head to it).
 */
@ApplicationScoped
public class ExportVerification {

    @Inject
    AuditClient audit;

    @Inject
    ConsoleConfig config;

    @Inject
    Vertx vertx;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private volatile PublicKey pinned;

    public Uni<ExportCheck> fetchAndVerify(SignedInOperator operator, Map<String, String> filters) {
        boolean keyPinned = config.auditTreeHeadKeyFile().isPresent();
        return key(operator).flatMap(key -> audit.export(operator, filters).flatMap(text -> {
            List<String> lines = Arrays.asList(text.split("\n"));
            ExportVerifier.Report report = ExportVerifier.verify(lines, key);
            long size = report.treeHead() == null ? 0 : report.treeHead().treeSize();
            if (!report.verified()) {
                String where = report.line() == null ? "" : " at line " + report.line()
                        + (report.firstBadSequence() == null ? "" : " (entry " + report.firstBadSequence() + ")");
                return Uni.createFrom().item(new ExportCheck(false, size, report.entries(),
                        report.failure() + where + ": " + report.detail(), keyPinned, null));
            }
            return againstLatest(operator, key, report.treeHead())
                    .map(problem -> problem == null
                            ? new ExportCheck(true, size, report.entries(), null, keyPinned, text)
                            : new ExportCheck(false, size, report.entries(), problem, keyPinned, null));
        }));
    }

    /** Null when the export's head agrees with the latest signed head, else what is wrong. */
    private Uni<String> againstLatest(SignedInOperator operator, PublicKey key, TreeHead head) {
        return audit.latestTreeHead(operator).flatMap(json -> {
            TreeHead latest;
            try {
                latest = ExportVerifier.treeHead(JSON.readTree(json.encode()));
            } catch (java.io.IOException | RuntimeException e) {
                return Uni.createFrom().item("MALFORMED: the latest tree head could not be read: " + e.getMessage());
            }
            if (!latest.verify(key)) {
                return Uni.createFrom().item("TREE_HEAD_SIGNATURE: the latest tree head's signature does not verify");
            }
            if (latest.treeSize() == head.treeSize()) {
                return Uni.createFrom().item(Arrays.equals(latest.rootHash(), head.rootHash()) ? null
                        : "TREE_HEAD_MISMATCH: the latest tree head has the export's size but another root");
            }
            if (latest.treeSize() < head.treeSize()) {
                // The export was signed after the head we fetched: check consistency the other way round.
                return consistent(operator, latest, head);
            }
            return consistent(operator, head, latest);
        });
    }

    private Uni<String> consistent(SignedInOperator operator, TreeHead older, TreeHead newer) {
        return audit.consistency(operator, older.treeSize(), newer.treeSize()).map(json -> {
            JsonArray proof = json.getJsonArray("proof", new JsonArray());
            List<byte[]> path = new ArrayList<>();
            for (int i = 0; i < proof.size(); i++) {
                path.add(HexFormat.of().parseHex(proof.getString(i)));
            }
            return MerkleProofs.verifyConsistency(older.treeSize(), newer.treeSize(), path, older.rootHash(), newer.rootHash()) ? null
                    : "CONSISTENCY: the export's tree head is not consistent with the latest signed tree head (" + older.treeSize()
                            + " → " + newer.treeSize() + ")";
        });
    }

    private Uni<PublicKey> key(SignedInOperator operator) {
        if (config.auditTreeHeadKeyFile().isEmpty()) {
            return audit.publishedKey(operator).map(TreeHeadKeys::publicKey);
        }
        PublicKey known = pinned;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return vertx.fileSystem().readFile(config.auditTreeHeadKeyFile().get().toString())
                .map(buffer -> {
                    PublicKey key = TreeHeadKeys.publicKey(buffer.toString());
                    pinned = key;
                    return key;
                })
                .onFailure().transform(e -> new PeerUnavailableException(AuditClient.SERVICE,
                        "the pinned tree-head key could not be read: " + e.getMessage()));
    }
}
