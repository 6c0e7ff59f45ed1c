package dev.portcullis.audit.export;

import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.entries;
import static dev.portcullis.audit.AuditFixtures.execute;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.proof.TreeHeadKeys;
import dev.portcullis.audit.verifier.AuditVerifierCli;
import dev.portcullis.audit.verifier.ExportVerifier;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exports verify offline (the verifier library and the command line); a row edited in the database is found at that row. */
@QuarkusTest
class ExportTest {

    @Inject
    AgroalDataSource db;

    private UUID organization;
    private List<Long> sequences;

    @BeforeEach
    void someEntries() {
        organization = UUID.randomUUID();
        String attempt = UUID.randomUUID().toString();
        List<EventEnvelope> events = AuditFixtures.unlockEvents(organization, "tenant-x", "door-x", "lock-x", attempt);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attempt, events);
        sequences = events.stream().map(event -> (Long) awaitEntry(db, event.getEventId()).get("sequence")).toList();
    }

    private String operator() {
        return TestIssuer.shared().token("ops-x", organization.toString(), "operator").sign();
    }

    private Response export(String format, String... query) {
        var request = given().auth().oauth2(operator()).queryParam("format", format);
        for (int i = 0; i < query.length; i += 2) {
            request = request.queryParam(query[i], query[i + 1]);
        }
        return request.when().get("/v1/audit/export");
    }

    private static PublicKey publishedKey() {
        return TreeHeadKeys.publicKey(given().when().get("/v1/audit/tree-heads/key").jsonPath().getString("publicKey"));
    }

    private List<String> jsonLines() {
        Response response = export("jsonl");
        response.then().statusCode(200).contentType(ExportResource.JSON_LINES);
        return response.asString().lines().toList();
    }

    @Test
    void aJsonLinesExportVerifiesOfflineWithItsProofs() {
        List<String> lines = jsonLines();
        assertEquals(1 + sequences.size(), lines.size(), "the tree head, then this organization's entries only");
        ExportVerifier.Report report = ExportVerifier.verify(lines, publishedKey());
        assertTrue(report.verified(), () -> report.toString());
        assertEquals(sequences.size(), report.entries());
        assertTrue(report.treeHead().treeSize() >= sequences.get(5));
        assertFalse(ExportVerifier.verify(lines, TreeHeadKeys.generate().getPublic()).verified(), "another key");
    }

    @Test
    void theCommandLineVerifierChecksAFileAndNamesTheFirstBadEntry() throws Exception {
        Path dir = Files.createTempDirectory("audit-export");
        Path key = Files.writeString(dir.resolve("key.pem"), given().when().get("/v1/audit/tree-heads/key").jsonPath().getString("publicKey"));
        Path good = Files.write(dir.resolve("good.jsonl"), jsonLines());
        assertEquals(0, cli("--key", key.toString(), good.toString()));
        // One entry's envelope edited in the file.
        List<String> lines = new java.util.ArrayList<>(jsonLines());
        String third = lines.get(3);
        String envelope = third.replaceAll(".*\"envelope\":\"([^\"]+)\".*", "$1");
        byte[] bytes = java.util.Base64.getDecoder().decode(envelope);
        bytes[bytes.length - 1] ^= 1;
        lines.set(3, third.replace(envelope, java.util.Base64.getEncoder().encodeToString(bytes)));
        Path bad = Files.write(dir.resolve("bad.jsonl"), lines);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, AuditVerifierCli.run(new String[] {"--key", key.toString(), bad.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("HASH_MISMATCH at line 4 (entry " + sequences.get(2) + ")"), out.toString());
        assertEquals(2, cli(bad.toString()), "no key: usage");
    }

    /**
     * A superuser edits an entry with the triggers off and recomputes its hash, so the row is
     * self-consistent: the verifier still finds it, at that row, because its leaf is no longer the one the
     * signed head covers. (Editing without recomputing is HASH_MISMATCH, see VerifyTest.)
     */
    @Test
    void aRowRewrittenBySuperuserIsFoundAtThatRow() throws Exception {
        given().auth().oauth2(operator()).when().post("/v1/audit/tree-heads").then().statusCode(200);
        long victim = sequences.get(3);
        var row = entries(db, "select previous_hash, envelope, entry_hash from audit_entry where sequence = ?", victim).get(0);
        byte[] envelope = (byte[]) row.get("envelope");
        byte[] forged = EventEnvelope.parseFrom(envelope).toBuilder().setSource("rewritten").build().toByteArray();
        byte[] forgedHash = EntryHash.compute(victim, (byte[]) row.get("previous_hash"), forged);
        try {
            tamper("update audit_entry set envelope = ?, entry_hash = ? where sequence = ?", forged, forgedHash, victim);
            ExportVerifier.Report report = ExportVerifier.verify(jsonLines(), publishedKey());
            assertFalse(report.verified());
            assertEquals(victim, report.firstBadSequence());
            assertEquals(ExportVerifier.Failure.INCLUSION_PROOF, report.failure());
            // The verify endpoint finds it too: its leaf is not the one the tree stored.
            var verify = given().auth().oauth2(operator()).queryParam("from", sequences.get(0)).when().get("/v1/audit/verify")
                    .then().statusCode(200).extract().jsonPath();
            assertFalse(verify.getBoolean("verified"));
            assertEquals(victim, verify.getLong("firstBadSequence"));
            assertEquals("LEAF_MISMATCH", verify.getString("failure"));
        } finally {
            tamper("update audit_entry set envelope = ?, entry_hash = ? where sequence = ?", envelope, row.get("entry_hash"), victim);
        }
        assertTrue(ExportVerifier.verify(jsonLines(), publishedKey()).verified(), "restored");
    }

    @Test
    void csvHasAHeaderAndOneRowPerEntry() {
        Response response = export("csv", "doorId", "door-x");
        response.then().statusCode(200).contentType("text/csv");
        List<String> lines = response.asString().lines().toList();
        assertTrue(lines.get(0).startsWith("sequence,event_id,recorded_at"));
        assertEquals(1 + sequences.size(), lines.size());
        assertTrue(lines.get(1).startsWith(sequences.get(0) + ","));
        assertEquals("'=1+1", ExportResource.field("=1+1"), "no formulas");
        assertEquals("\"a,\"\"b\"\"\"", ExportResource.field("a,\"b\""));
    }

    @Test
    void pagesFollowTheNextFromHeader() {
        Response first = export("jsonl", "limit", "4");
        first.then().statusCode(200);
        assertEquals(1 + 4, first.asString().lines().count());
        String next = first.getHeader(ExportResource.NEXT_FROM);
        assertEquals(String.valueOf(sequences.get(3) + 1), next);
        Response second = export("jsonl", "limit", "4", "from", next);
        assertEquals(1 + 2, second.asString().lines().count());
        assertNull(second.getHeader(ExportResource.NEXT_FROM));
        assertTrue(ExportVerifier.verify(second.asString().lines().toList(), publishedKey()).verified());
    }

    @Test
    void exportsAreForOperatorsOfTheOrganizationAndBadInputIsAProblem() {
        given().when().get("/v1/audit/export?format=csv").then().statusCode(401);
        given().auth().oauth2(TestIssuer.shared().token("tenant-x", organization.toString(), "tenant").sign())
                .when().get("/v1/audit/export?format=csv").then().statusCode(403);
        String otherOperator = TestIssuer.shared().token("ops-y", UUID.randomUUID().toString(), "operator").sign();
        assertEquals(1, given().auth().oauth2(otherOperator).when().get("/v1/audit/export?format=jsonl").asString().lines().count(),
                "another organization's operator gets the head and none of these entries");
        for (String bad : List.of("format=xml", "format=csv&from=0", "format=csv&limit=10001", "format=csv&from=5&to=4",
                "format=csv&doorId=%20")) {
            given().auth().oauth2(operator()).when().get("/v1/audit/export?" + bad)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://portcullis.dev/problems/invalid-parameter"));
        }
    }

    private static int cli(String... args) {
        return AuditVerifierCli.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private void tamper(String sql, Object... parameters) throws SQLException {
        execute(db, "alter table audit_entry disable trigger audit_entry_append_only");
        try {
            assertEquals(1, execute(db, sql, parameters));
        } finally {
            execute(db, "alter table audit_entry enable trigger audit_entry_append_only");
        }
    }
}
