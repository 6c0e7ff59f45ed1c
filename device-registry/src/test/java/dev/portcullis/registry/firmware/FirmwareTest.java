package dev.portcullis.registry.firmware;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.lock.protocol.FirmwareManifest;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.admin.Operators;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Signed firmware manifests at upload, and staged rollouts with per-lock state, over real HTTP and PostgreSQL. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class FirmwareTest {

    static final byte[] IMAGE = "firmware image 2.4.1".getBytes(StandardCharsets.UTF_8);

    @Inject
    RegistryFixtures fixtures;

    record Setup(Operators op, KeyPair vendorKey, UUID model, UUID property) {
    }

    static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static Setup setup() throws Exception {
        Operators op = Operators.ofNewOrganization();
        KeyPair vendor = ed25519();
        UUID model = op.create("/lock-models", Map.of("manufacturer", "Acme", "model", "acme-deadbolt-350", "credentialTypes", List.of("PIN"),
                "maxUsers", 350, "maxCredentials", 350, "firmwareSigningKey", Base64.getEncoder().encodeToString(vendor.getPublic().getEncoded())));
        return new Setup(op, vendor, model, op.property("P"));
    }

    static byte[] manifest(KeyPair key, String model, String version) {
        return FirmwareManifest.sign(new FirmwareManifest.Spec(model, version, FirmwareManifest.Channel.STABLE, FirmwareManifest.sha256(IMAGE),
                IMAGE.length, "2.0", null, Instant.parse("2026-03-01T09:00:00Z")), key);
    }

    static Response upload(Setup s, byte[] manifest) {
        return s.op().call().contentType("application/octet-stream").body(manifest).post("/firmware/manifests?lockModelId=" + s.model()).andReturn();
    }

    UUID lock(Setup s, String serial, String firmware) {
        UUID door = s.op().create("/doors", Map.of("propertyId", s.property(), "name", "Door " + serial));
        UUID lock = s.op().create("/locks", Map.of("doorId", door, "lockModelId", s.model(), "serialNumber", serial));
        if (firmware != null) {
            fixtures.enrolled(lock, firmware);
        }
        return lock;
    }

    @Test
    void aGenuineManifestIsStoredAndTamperedOrForeignOnesAreRefused() throws Exception {
        Setup s = setup();
        s.op().call().get("/lock-models/" + s.model()).then().body("firmwareSigningKeyId", equalTo(KeyIds.of(s.vendorKey().getPublic())));
        byte[] genuine = manifest(s.vendorKey(), "acme-deadbolt-350", "2.4.1");

        byte[] tampered = genuine.clone();
        tampered[20] ^= 0x01;
        Response refused = upload(s, tampered);
        assertEquals(422, refused.statusCode(), refused.asString());
        assertEquals("application/problem+json", refused.contentType());
        assertEquals("BAD_SIGNATURE", refused.jsonPath().getString("reason"));

        Response foreign = upload(s, manifest(ed25519(), "acme-deadbolt-350", "2.4.1"));
        assertEquals(422, foreign.statusCode());
        assertEquals("BAD_SIGNATURE", foreign.jsonPath().getString("reason"));

        Response otherModel = upload(s, manifest(s.vendorKey(), "acme-deadbolt-100", "2.4.1"));
        assertEquals(422, otherModel.statusCode());
        assertEquals("WRONG_MODEL", otherModel.jsonPath().getString("reason"));

        upload(s, new byte[] {0x0a, 0x7f}).then().statusCode(422).body("reason", equalTo("MALFORMED"));
        s.op().call().get("/firmware/manifests").then().statusCode(200).body("$", hasSize(0));

        Response stored = upload(s, genuine);
        assertEquals(201, stored.statusCode(), stored.asString());
        stored.then().body("firmwareVersion", equalTo("2.4.1")).body("channel", equalTo("STABLE"))
                .body("imageSha256", equalTo(java.util.HexFormat.of().formatHex(FirmwareManifest.sha256(IMAGE))))
                .body("signedManifest", equalTo(Base64.getEncoder().encodeToString(genuine)));
        upload(s, genuine).then().statusCode(409);
        s.op().call().get("/firmware/manifests").then().body("$", hasSize(1));
    }

    @Test
    void aModelWithoutAFirmwareKeyAcceptsNoManifest() {
        Operators op = Operators.ofNewOrganization();
        UUID model = op.lockModel("Acme", "acme-deadbolt-350", 100, 100);
        op.call().contentType("application/octet-stream").body(new byte[] {1, 2}).post("/firmware/manifests?lockModelId=" + model)
                .then().statusCode(422).body("type", equalTo("https://portcullis.dev/problems/no-firmware-key"));
    }

    @Test
    void aRolloutTracksEachLocksStateAndOnlyTakesLocksThatCanUpgrade() throws Exception {
        Setup s = setup();
        UUID manifest = UUID.fromString(upload(s, manifest(s.vendorKey(), "acme-deadbolt-350", "2.4.1")).then().statusCode(201)
                .extract().path("id"));
        UUID ready = lock(s, "R-1", "2.3.7");
        UUID second = lock(s, "R-2", "2.2.0");
        UUID tooOld = lock(s, "R-3", "1.9.0");
        UUID current = lock(s, "R-4", "2.4.1");
        UUID notEnrolled = lock(s, "R-5", null);

        Response refused = s.op().call().body(Map.of("manifestId", manifest, "lockIds", List.of(ready, tooOld, current, notEnrolled)))
                .post("/firmware/rollouts").andReturn();
        assertEquals(422, refused.statusCode(), refused.asString());
        assertEquals(java.util.Set.of(tooOld.toString(), current.toString(), notEnrolled.toString()),
                new java.util.HashSet<>(refused.jsonPath().getList("locks.lockId")));
        assertEquals(0, fixtures.count("firmware_rollout"));

        String rollout = s.op().call().body(Map.of("manifestId", manifest, "lockIds", List.of(ready))).post("/firmware/rollouts")
                .then().statusCode(201).body("counts.PENDING", equalTo(1)).extract().path("id");
        s.op().call().get("/locks/" + ready).then().body("firmware.targetVersion", equalTo("2.4.1")).body("firmware.rolloutState", equalTo("PENDING"))
                .body("firmware.installedVersion", equalTo("2.3.7"));
        s.op().call().body(Map.of("manifestId", manifest, "lockIds", List.of(ready))).post("/firmware/rollouts").then().statusCode(422);

        s.op().call().body(Map.of("lockIds", List.of(second))).post("/firmware/rollouts/" + rollout + "/stages").then().statusCode(200)
                .body("locks.find { it.lockId == '" + second + "' }.stage", equalTo(2));

        String path = "/firmware/rollouts/" + rollout + "/locks/";
        s.op().call().body(Map.of("state", "SUCCEEDED")).put(path + ready).then().statusCode(409);
        s.op().call().body(Map.of("state", "IN_PROGRESS")).put(path + ready).then().statusCode(200).body("state", equalTo("IN_PROGRESS"));
        s.op().call().body(Map.of("state", "SUCCEEDED")).put(path + ready).then().statusCode(200);
        s.op().call().body(Map.of("state", "FAILED", "detail", "battery too low")).put(path + second).then().statusCode(200);
        s.op().call().body(Map.of("state", "DONE")).put(path + second).then().statusCode(400);

        s.op().call().get("/locks/" + ready).then().body("firmware.installedVersion", equalTo("2.4.1"))
                .body("firmware.rolloutState", equalTo("SUCCEEDED"));
        s.op().call().get("/locks/" + second).then().body("firmware.installedVersion", equalTo("2.2.0"))
                .body("firmware.rolloutState", equalTo("FAILED"));
        s.op().call().get("/firmware/rollouts/" + rollout).then().statusCode(200)
                .body("counts.SUCCEEDED", equalTo(1)).body("counts.FAILED", equalTo(1)).body("locks", hasSize(2));

        Operators attacker = Operators.ofNewOrganization();
        attacker.call().get("/firmware/rollouts/" + rollout).then().statusCode(404);
        attacker.call().get("/firmware/manifests/" + manifest).then().statusCode(404);
        attacker.call().body(Map.of("state", "PENDING")).put(path + second).then().statusCode(404);
        attacker.call().body(Map.of("lockIds", List.of(second))).post("/firmware/rollouts/" + rollout + "/stages").then().statusCode(404);
        attacker.call().body(Map.of("manifestId", manifest, "lockIds", List.of(second))).post("/firmware/rollouts").then().statusCode(422);
        attacker.call().contentType("application/octet-stream").body(manifest(s.vendorKey(), "acme-deadbolt-350", "2.5.0"))
                .post("/firmware/manifests?lockModelId=" + s.model()).then().statusCode(422);
        s.op().call().get("/locks/" + second).then().body("firmware.rolloutState", equalTo("FAILED"));
    }
}
