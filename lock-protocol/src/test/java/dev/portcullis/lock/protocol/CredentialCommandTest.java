package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.Action;
import dev.portcullis.lock.protocol.wire.Credential;
import dev.portcullis.lock.protocol.wire.CredentialKind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Credentials travel to one lock inside encrypted commands, and the lock applies and reports them. */
class CredentialCommandTest {

    private final Fixture f = new Fixture();

    private static CommandSpec put(long counter, CredentialSpec credential) {
        return new CommandSpec(UUID.randomUUID(), LockCommandAction.CREDENTIAL_PUT, counter, Fixture.NOW.minusSeconds(1),
                Fixture.NOW.plusSeconds(4), new Attribution("org-1", "device-registry", "credential-sync", "sync-1"), credential);
    }

    private static CredentialSpec scheduledPin() {
        return new CredentialSpec(UUID.randomUUID(), CredentialSpec.Kind.PIN, "482913".getBytes(), false,
                Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-07-01T00:00:00Z"),
                List.of(new WeeklyWindow(DayOfWeek.SUNDAY, 8 * 60, 18 * 60)), ZoneId.of("Europe/Berlin"), 3);
    }

    @Test
    void aPutCarriesTheWholeCredentialEncryptedAndTheAckCarriesTheLocksDigest() throws Exception {
        CredentialSpec pin = scheduledPin();
        SealedCommand sealed = f.builder.seal(put(1, pin), f.lock);
        assertFalse(new String(sealed.envelope(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("482913"),
                "the PIN never travels in the clear");

        VerifiedCommand verified = f.verifier.verify(sealed.envelope());
        assertEquals(LockCommandAction.CREDENTIAL_PUT, verified.action());
        assertEquals(pin, verified.credential());
        assertEquals(pin.id(), verified.credentialId());

        CredentialSet held = new CredentialSet();
        held.apply(verified);
        byte[] ack = f.verifier.acknowledge(verified, Fixture.NOW, held.digest());
        Acknowledgement received = new AckVerifier().verify(ack, sealed.commandHash(), f.lock);
        assertArrayEquals(CredentialSet.digestOf(List.of(pin)), received.credentialSetDigest(),
                "the platform computes the same digest from what the lock should hold");
    }

    @Test
    void aRemoveCarriesOnlyTheIdAndTheLockForgetsTheCredential() throws Exception {
        CredentialSpec pin = CredentialSpec.pin(UUID.randomUUID(), "1234");
        CredentialSet held = new CredentialSet();
        held.apply(f.verifier.verify(f.builder.seal(put(1, pin), f.lock).envelope()));
        assertEquals(1, held.size());

        SealedCommand removal = f.builder.seal(new CommandSpec(UUID.randomUUID(), LockCommandAction.CREDENTIAL_REMOVE, 2,
                Fixture.NOW.minusSeconds(1), Fixture.NOW.plusSeconds(4), new Attribution("org-1", "registry", "sync", "s-2"), pin), f.lock);
        VerifiedCommand verified = f.verifier.verify(removal.envelope());
        assertNull(verified.credential());
        assertEquals(pin.id(), verified.credentialId());
        held.apply(verified);
        assertEquals(0, held.size());
        assertArrayEquals(CredentialSet.digestOf(List.of()), held.digest());
    }

    @Test
    void aCredentialOnlyGoesWithACredentialCommand() {
        CredentialSpec pin = CredentialSpec.pin(UUID.randomUUID(), "1234");
        assertThrows(IllegalArgumentException.class, () -> new CommandSpec(UUID.randomUUID(), LockCommandAction.UNLOCK, 1,
                Fixture.NOW, Fixture.NOW.plusSeconds(4), new Attribution("o", "s", "m", "a"), pin));
        assertThrows(IllegalArgumentException.class, () -> new CommandSpec(UUID.randomUUID(), LockCommandAction.CREDENTIAL_PUT, 1,
                Fixture.NOW, Fixture.NOW.plusSeconds(4), new Attribution("o", "s", "m", "a")));
    }

    @Test
    void theLockRefusesABodyWhoseCredentialDoesNotFitItsAction() throws Exception {
        Credential valid = CredentialSpec.pin(UUID.randomUUID(), "1234").toWire();
        byte[][] bodies = {
                // an unlock that smuggles a credential
                Fixture.body().setCredential(valid).build().toByteArray(),
                // a put without one
                Fixture.body().setAction(Action.ACTION_CREDENTIAL_PUT).build().toByteArray(),
                // a PIN with a letter
                Fixture.body().setAction(Action.ACTION_CREDENTIAL_PUT)
                        .setCredential(valid.toBuilder().setSecret(ByteString.copyFromUtf8("12a4"))).build().toByteArray(),
                // an unknown kind
                Fixture.body().setAction(Action.ACTION_CREDENTIAL_PUT)
                        .setCredential(valid.toBuilder().setKindValue(99)).build().toByteArray(),
                // a fingerprint reference with a secret
                Fixture.body().setAction(Action.ACTION_CREDENTIAL_PUT)
                        .setCredential(valid.toBuilder().setKind(CredentialKind.CREDENTIAL_KIND_FINGERPRINT)).build().toByteArray(),
                // windows without a zone
                Fixture.body().setAction(Action.ACTION_CREDENTIAL_PUT).setCredential(valid.toBuilder()
                        .addWindows(dev.portcullis.lock.protocol.wire.WeeklyWindow.newBuilder().setDayOfWeek(1).setEndMinute(60)))
                        .build().toByteArray(),
                // a removal that carries more than the id
                Fixture.body().setAction(Action.ACTION_CREDENTIAL_REMOVE).setCredential(valid).build().toByteArray(),
        };
        long counter = 1;
        for (byte[] body : bodies) {
            byte[] envelope = f.forge(f.header(counter++).build().toByteArray(), body);
            assertEquals(RejectionReason.MALFORMED, Fixture.rejection(f.verifier, envelope));
        }
    }

    @Test
    void theSecretIsNeverInTheTextOfACredential() {
        assertFalse(CredentialSpec.pin(UUID.randomUUID(), "987654").toString().contains("987654"));
    }

    @Test
    void atTheDoorAScheduledPinOpensInsideItsWindowsOnlyAndAsOftenAsAllowed() {
        CredentialSpec pin = scheduledPin();
        CredentialSet held = new CredentialSet();
        held.put(pin);
        byte[] digits = "482913".getBytes();
        // 2025-06-01 is a Sunday; 12:00 UTC = 14:00 in Berlin (summer time)
        Instant sundayAfternoon = Instant.parse("2025-06-01T12:00:00Z");
        assertEquals(CredentialSet.Refusal.UNKNOWN, held.present(CredentialSpec.Kind.PIN, "482914".getBytes(), sundayAfternoon).refusal());
        assertEquals(CredentialSet.Refusal.OUTSIDE_WINDOW,
                held.present(CredentialSpec.Kind.PIN, digits, Instant.parse("2025-06-01T16:30:00Z")).refusal(), "18:30 local");
        assertEquals(CredentialSet.Refusal.OUTSIDE_WINDOW,
                held.present(CredentialSpec.Kind.PIN, digits, Instant.parse("2025-06-02T10:00:00Z")).refusal(), "a Monday");
        assertEquals(CredentialSet.Refusal.EXPIRED,
                held.present(CredentialSpec.Kind.PIN, digits, Instant.parse("2025-07-06T10:00:00Z")).refusal());
        assertEquals(CredentialSet.Refusal.NOT_YET_VALID,
                held.present(CredentialSpec.Kind.PIN, digits, Instant.parse("2025-04-27T10:00:00Z")).refusal());
        assertEquals(CredentialSet.Refusal.UNKNOWN,
                held.present(CredentialSpec.Kind.CARD, digits, sundayAfternoon).refusal(), "a card with the same bytes is another credential");
        for (int use = 0; use < 3; use++) {
            assertTrue(held.present(CredentialSpec.Kind.PIN, digits, sundayAfternoon).opens());
        }
        assertEquals(CredentialSet.Refusal.USED_UP, held.present(CredentialSpec.Kind.PIN, digits, sundayAfternoon).refusal());
    }

    @Test
    void aDuressPinOpensAndSaysSo() {
        CredentialSpec duress = new CredentialSpec(UUID.randomUUID(), CredentialSpec.Kind.PIN, "9111".getBytes(), true,
                null, null, List.of(), null, 0);
        CredentialSet held = new CredentialSet();
        held.put(duress);
        CredentialSet.Check check = held.present(CredentialSpec.Kind.PIN, "9111".getBytes(), Fixture.NOW);
        assertTrue(check.opens());
        assertTrue(check.duress());
        assertEquals(duress.id(), check.credentialId());
    }

    @Test
    void theDigestDependsOnWhatIsHeldNotOnTheOrderItArrived() {
        CredentialSpec a = CredentialSpec.pin(UUID.fromString("00000000-0000-0000-0000-000000000001"), "1111");
        CredentialSpec b = CredentialSpec.pin(UUID.fromString("f0000000-0000-0000-0000-000000000002"), "2222");
        assertArrayEquals(CredentialSet.digestOf(List.of(a, b)), CredentialSet.digestOf(List.of(b, a)));
        CredentialSpec bChanged = new CredentialSpec(b.id(), CredentialSpec.Kind.PIN, "2223".getBytes(), false, null, null,
                List.of(), null, 0);
        assertFalse(java.util.Arrays.equals(CredentialSet.digestOf(List.of(a, b)), CredentialSet.digestOf(List.of(a, bChanged))));
    }
}
