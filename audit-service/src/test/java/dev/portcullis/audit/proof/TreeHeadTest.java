package dev.portcullis.audit.proof;

import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.entries;
import static dev.portcullis.audit.AuditFixtures.execute;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.verifier.ExportVerifier;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Signed tree heads, the published key, inclusion and consistency proofs over the real stored log. */
@QuarkusTest
class TreeHeadTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource db;

    private final UUID organization = UUID.randomUUID();

    private String operator() {
        return TestIssuer.shared().token("ops", organization.toString(), "operator").sign();
    }

    /** Records one unlock's six events; returns the sequences. */
    private List<Long> someEntries() {
        String attempt = UUID.randomUUID().toString();
        List<EventEnvelope> events = AuditFixtures.unlockEvents(organization, "tenant-p", UUID.randomUUID().toString(), "lock-p", attempt);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attempt, events);
        return events.stream().map(event -> (Long) awaitEntry(db, event.getEventId()).get("sequence")).toList();
    }

    private TreeHead signNow() throws Exception {
        String body = given().auth().oauth2(operator()).when().post("/v1/audit/tree-heads")
                .then().statusCode(200).contentType("application/json").extract().asString();
        return ExportVerifier.treeHead(JSON.readTree(body));
    }

    private PublicKey publishedKey() {
        JsonPath key = given().when().get("/v1/audit/tree-heads/key").then().statusCode(200).extract().jsonPath();
        assertEquals("Ed25519", key.getString("algorithm"));
        PublicKey published = TreeHeadKeys.publicKey(key.getString("publicKey"));
        assertEquals(key.getString("keyId"), TreeHeadKeys.keyId(published));
        return published;
    }

    @Test
    void aSignedHeadVerifiesWithThePublishedKeyAndNotWithAnother() throws Exception {
        List<Long> sequences = someEntries();
        TreeHead head = signNow();
        assertTrue(head.treeSize() >= sequences.get(5));
        assertTrue(head.verify(publishedKey()), "signed by the published key");
        assertFalse(head.verify(TreeHeadKeys.generate().getPublic()), "not by another key");
        assertFalse(new TreeHead(head.treeSize() - 1, head.rootHash(), head.timestampMillis(), head.keyId(), head.signature())
                .verify(publishedKey()), "the signature covers the size");
        assertFalse(new TreeHead(head.treeSize(), head.rootHash(), head.timestampMillis() + 1, head.keyId(), head.signature())
                .verify(publishedKey()), "and the timestamp");
        // The root is the Merkle root of the chain as stored: recomputed here from the rows alone.
        InMemoryTree tree = new InMemoryTree();
        for (Map<String, Object> row : entries(db, "select sequence, previous_hash, envelope from audit_entry where sequence <= ? order by sequence",
                head.treeSize())) {
            tree.append(MerkleHash.entryLeaf((Long) row.get("sequence"), (byte[]) row.get("previous_hash"), (byte[]) row.get("envelope")));
        }
        assertEquals(head.treeSize(), tree.size());
        assertEquals(HEX.formatHex(tree.root()), head.rootHashHex());
        // The latest head is served.
        JsonPath latest = given().auth().oauth2(operator()).when().get("/v1/audit/tree-heads/latest")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(latest.getLong("treeSize") >= head.treeSize());
    }

    @Test
    void headsAreSignedOnScheduleWhenTheLogGrows() {
        long last = someEntries().get(5);
        // No request signs here: the 1 s schedule of the test profile does.
        await().atMost(AuditFixtures.WAIT).until(() -> given().auth().oauth2(operator()).when().get("/v1/audit/tree-heads/latest")
                .then().extract().statusCode() == 200
                && given().auth().oauth2(operator()).when().get("/v1/audit/tree-heads/latest").jsonPath().getLong("treeSize") >= last);
    }

    @Test
    void everyEntryHasAnInclusionProofToTheSignedRoot() throws Exception {
        List<Long> sequences = someEntries();
        TreeHead head = signNow();
        for (long sequence : sequences) {
            JsonPath proof = given().auth().oauth2(operator()).queryParam("sequence", sequence).queryParam("treeSize", head.treeSize())
                    .when().get("/v1/audit/proofs/inclusion").then().statusCode(200).extract().jsonPath();
            Map<String, Object> row = entries(db, "select previous_hash, envelope from audit_entry where sequence = ?", sequence).get(0);
            byte[] leaf = MerkleHash.entryLeaf(sequence, (byte[]) row.get("previous_hash"), (byte[]) row.get("envelope"));
            assertEquals(HEX.formatHex(leaf), proof.getString("leafHash"));
            List<byte[]> path = proof.getList("path", String.class).stream().map(HEX::parseHex).toList();
            assertTrue(MerkleProofs.verifyInclusion(sequence - 1, head.treeSize(), leaf, path, head.rootHash()), "entry " + sequence);
            assertFalse(MerkleProofs.verifyInclusion(sequence, head.treeSize(), leaf, path, head.rootHash()), "at another index");
        }
    }

    @Test
    void consecutiveHeadsAreConsistent() throws Exception {
        someEntries();
        TreeHead first = signNow();
        someEntries();
        TreeHead second = signNow();
        assertTrue(second.treeSize() > first.treeSize());
        List<byte[]> proof = consistency(first.treeSize(), second.treeSize());
        assertTrue(MerkleProofs.verifyConsistency(first.treeSize(), second.treeSize(), proof, first.rootHash(), second.rootHash()));
        assertFalse(MerkleProofs.verifyConsistency(first.treeSize(), second.treeSize(), proof, second.rootHash(), second.rootHash()));
        assertFalse(MerkleProofs.verifyConsistency(first.treeSize() - 1, second.treeSize(), proof, first.rootHash(), second.rootHash()));
    }

    /**
     * Someone with superuser access cuts the log's tail (triggers off, head and tree rolled back, later heads
     * deleted) and the log grows again past it: the chain itself still verifies, but not against the earlier head.
     */
    @Test
    void aTruncatedTailFailsTheConsistencyCheckAgainstAnEarlierHead() throws Exception {
        someEntries();
        TreeHead pinned = signNow();
        long keep = pinned.treeSize() - 3;
        byte[] keptHash = (byte[]) entries(db, "select entry_hash from audit_entry where sequence = ?", keep).get(0).get("entry_hash");
        try (Connection superuser = db.getConnection(); Statement sql = superuser.createStatement()) {
            superuser.setAutoCommit(false);
            sql.execute("select * from chain_head for update");
            sql.execute("select * from merkle_state for update");
            for (String table : List.of("audit_entry", "chain_head", "merkle_subtree", "merkle_state", "tree_head")) {
                sql.execute("alter table " + table + " disable trigger user");
            }
            sql.execute("delete from audit_entry where sequence > " + keep);
            sql.execute("delete from merkle_subtree where (node_index + 1) * (1::bigint << level) > " + keep);
            sql.execute("delete from tree_head where tree_size > " + keep);
            sql.execute("update chain_head set sequence = " + keep + ", hash = '\\x" + HEX.formatHex(keptHash) + "'");
            sql.execute("update merkle_state set tree_size = " + keep + ", last_entry_hash = '\\x" + HEX.formatHex(keptHash) + "'");
            for (String table : List.of("audit_entry", "chain_head", "merkle_subtree", "merkle_state", "tree_head")) {
                sql.execute("alter table " + table + " enable trigger user");
            }
            superuser.commit();
        }
        someEntries();
        TreeHead later = signNow();
        assertTrue(later.treeSize() > pinned.treeSize());
        assertTrue(later.verify(publishedKey()), "the new head is genuinely signed");
        List<byte[]> proof = consistency(pinned.treeSize(), later.treeSize());
        assertFalse(MerkleProofs.verifyConsistency(pinned.treeSize(), later.treeSize(), proof, pinned.rootHash(), later.rootHash()),
                "the log the pinned head signed is no prefix of the log now");
        // The chain alone cannot tell: it was rewritten consistently.
        JsonPath verify = given().auth().oauth2(operator()).when().get("/v1/audit/verify").then().statusCode(200).extract().jsonPath();
        assertTrue(verify.getBoolean("verified"));
        assertNotEquals(HEX.formatHex(pinned.rootHash()), later.rootHashHex());
    }

    /**
     * A superuser rewrites the newest entry and everything derived from it in the database (entry hash,
     * chain head, stored leaf): the chain verifies on its own, the signed head does not.
     */
    @Test
    void aLogRewrittenWithItsStoredTreeFailsAgainstTheSignedHead() throws Exception {
        someEntries();
        TreeHead head = signNow();
        long victim = head.treeSize();
        Map<String, Object> row = entries(db, "select previous_hash, envelope, entry_hash from audit_entry where sequence = ?", victim).get(0);
        byte[] envelope = (byte[]) row.get("envelope");
        byte[] forged = EventEnvelope.parseFrom(envelope).toBuilder().setSource("rewritten").build().toByteArray();
        byte[] previous = (byte[]) row.get("previous_hash");
        try {
            rewrite(victim, forged, dev.portcullis.audit.chain.EntryHash.compute(victim, previous, forged),
                    MerkleHash.entryLeaf(victim, previous, forged));
            JsonPath report = given().auth().oauth2(operator()).queryParam("to", victim).when().get("/v1/audit/verify")
                    .then().statusCode(200).extract().jsonPath();
            assertFalse(report.getBoolean("verified"));
            assertEquals(victim, report.getLong("firstBadSequence"));
            assertEquals("TREE_HEAD_MISMATCH", report.getString("failure"));
            assertEquals(victim, report.getLong("treeHead.treeSize"));
        } finally {
            rewrite(victim, envelope, (byte[]) row.get("entry_hash"), MerkleHash.entryLeaf(victim, previous, envelope));
        }
        JsonPath restored = given().auth().oauth2(operator()).queryParam("to", victim).when().get("/v1/audit/verify")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(restored.getBoolean("verified"), () -> restored.prettify());
    }

    /**
     * An entry edited before the tree covered it: no head is signed over it (409 chain-broken naming it), exports
     * fall back to the newest head, and once the entry is restored the tree moves on.
     */
    @Test
    void noHeadIsSignedOverABrokenChain() throws Exception {
        TreeHead before = signNow();
        long victim;
        byte[] original;
        try (Connection superuser = db.getConnection(); Statement sql = superuser.createStatement()) {
            superuser.setAutoCommit(false);
            sql.execute("select * from merkle_state for update"); // holds the tree where it is
            victim = someEntries().get(2);
            original = (byte[]) entries(db, "select envelope from audit_entry where sequence = ?", victim).get(0).get("envelope");
            byte[] forged = original.clone();
            forged[forged.length - 1] ^= 1;
            sql.execute("alter table audit_entry disable trigger audit_entry_append_only");
            sql.execute("update audit_entry set envelope = '\\x" + HEX.formatHex(forged) + "' where sequence = " + victim);
            sql.execute("alter table audit_entry enable trigger audit_entry_append_only");
            superuser.commit();
        }
        try {
            given().auth().oauth2(operator()).when().post("/v1/audit/tree-heads")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("https://portcullis.dev/problems/chain-broken"))
                    .body("sequence", equalTo((int) victim));
            String export = given().auth().oauth2(operator()).queryParam("format", "jsonl").when().get("/v1/audit/export")
                    .then().statusCode(200).extract().asString();
            TreeHead exported = dev.portcullis.audit.verifier.ExportVerifier.treeHead(JSON.readTree(export.lines().findFirst().orElseThrow()));
            assertTrue(exported.treeSize() >= before.treeSize() && exported.treeSize() < victim, "the newest head before the break");
        } finally {
            execute(db, "alter table audit_entry disable trigger audit_entry_append_only");
            try {
                execute(db, "update audit_entry set envelope = ? where sequence = ?", original, victim);
            } finally {
                execute(db, "alter table audit_entry enable trigger audit_entry_append_only");
            }
        }
        assertTrue(signNow().treeSize() > victim, "restored, the tree covers it");
    }

    private void rewrite(long sequence, byte[] envelope, byte[] entryHash, byte[] leaf) throws Exception {
        try (Connection superuser = db.getConnection(); Statement sql = superuser.createStatement()) {
            superuser.setAutoCommit(false);
            sql.execute("select * from chain_head for update");
            for (String table : List.of("audit_entry", "chain_head", "merkle_subtree")) {
                sql.execute("alter table " + table + " disable trigger user");
            }
            sql.execute("update audit_entry set envelope = '\\x" + HEX.formatHex(envelope) + "', entry_hash = '\\x"
                    + HEX.formatHex(entryHash) + "' where sequence = " + sequence);
            sql.execute("update chain_head set hash = '\\x" + HEX.formatHex(entryHash) + "' where sequence = " + sequence);
            sql.execute("update merkle_subtree set hash = '\\x" + HEX.formatHex(leaf) + "' where level = 0 and node_index = " + (sequence - 1));
            for (String table : List.of("audit_entry", "chain_head", "merkle_subtree")) {
                sql.execute("alter table " + table + " enable trigger user");
            }
            superuser.commit();
        }
    }

    @Test
    void onlyOperatorsGetHeadsAndProofsAndBadParametersAreProblems() {
        String tenant = TestIssuer.shared().token("tenant-p", organization.toString(), "tenant").sign();
        for (String route : List.of("/v1/audit/tree-heads/latest", "/v1/audit/proofs/inclusion?sequence=1&treeSize=1",
                "/v1/audit/proofs/consistency?first=1&second=1")) {
            given().when().get(route).then().statusCode(401);
            given().auth().oauth2(tenant).when().get(route).then().statusCode(403);
        }
        given().when().post("/v1/audit/tree-heads").then().statusCode(401);
        given().auth().oauth2(tenant).when().post("/v1/audit/tree-heads").then().statusCode(403);
        for (String bad : List.of("/v1/audit/proofs/inclusion?sequence=0&treeSize=1", "/v1/audit/proofs/inclusion?sequence=x&treeSize=1",
                "/v1/audit/proofs/inclusion?sequence=5&treeSize=4", "/v1/audit/proofs/inclusion?sequence=1",
                "/v1/audit/proofs/inclusion?sequence=1&treeSize=999999999", "/v1/audit/proofs/consistency?first=3&second=2",
                "/v1/audit/proofs/consistency?first=1")) {
            given().auth().oauth2(operator()).when().get(bad)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://portcullis.dev/problems/invalid-parameter"));
        }
    }

    private List<byte[]> consistency(long first, long second) {
        return given().auth().oauth2(operator()).queryParam("first", first).queryParam("second", second)
                .when().get("/v1/audit/proofs/consistency").then().statusCode(200).extract().jsonPath()
                .getList("proof", String.class).stream().map(HEX::parseHex).toList();
    }
}
