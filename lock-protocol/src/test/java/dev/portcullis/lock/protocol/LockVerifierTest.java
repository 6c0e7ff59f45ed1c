package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.Fixture.LOCK_ID;
import static dev.portcullis.lock.protocol.Fixture.MAX_LIFETIME;
import static dev.portcullis.lock.protocol.Fixture.NOW;
import static dev.portcullis.lock.protocol.Fixture.SKEW;
import static dev.portcullis.lock.protocol.Fixture.rejection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.portcullis.lock.protocol.wire.Action;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import dev.portcullis.lock.protocol.wire.CommandHeader;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The lock's checks, one property per test (docs/lock-protocol.md, "Threat model"). */
class LockVerifierTest {

    private final Fixture f = new Fixture();

    // --- the happy path -------------------------------------------------------------------------

    @Test
    void validCommandVerifiesAndYieldsItsFields() throws Exception {
        UUID commandId = UUID.randomUUID();
        Instant issuedAt = NOW.minusMillis(1500);
        Instant expiresAt = NOW.plusMillis(3500);
        Attribution requester = new Attribution("org-7", "tenant-42", "partner", "attempt-9");
        SealedCommand sealed = f.builder.seal(new CommandSpec(commandId, LockCommandAction.UNLOCK, 7, issuedAt, expiresAt, requester), f.lock);

        VerifiedCommand verified = f.verifier.verify(sealed.envelope());

        assertEquals(commandId, verified.commandId());
        assertEquals(LockCommandAction.UNLOCK, verified.action());
        assertEquals(7, verified.counter());
        assertEquals(1, verified.keyEpoch());
        assertEquals(issuedAt, verified.issuedAt());
        assertEquals(expiresAt, verified.expiresAt());
        assertEquals(requester, verified.requester());
        assertEquals(f.platform.signingKeyId(), verified.platformSigningKeyId());
        assertArrayEquals(sealed.commandHash(), verified.commandHash());
        assertArrayEquals(Encoding.sha256(sealed.envelope()), verified.commandHash());
        assertEquals(7, f.verifier.lastAcceptedCounter());
        assertEquals(7, f.counters.lastAccepted(1));
    }

    @Test
    void lockActionVerifies() throws Exception {
        SealedCommand sealed = f.builder.seal(new CommandSpec(UUID.randomUUID(), LockCommandAction.LOCK, 1, NOW, NOW.plusSeconds(5),
                new Attribution(null, null, null, null)), f.lock);
        VerifiedCommand verified = f.verifier.verify(sealed.envelope());
        assertEquals(LockCommandAction.LOCK, verified.action());
        assertEquals(new Attribution("", "", "", ""), verified.requester());
    }

    @Test
    void increasingCountersWithGapsAreAccepted() throws Exception {
        for (long counter : new long[] {1, 2, 5, 100, 101}) {
            assertEquals(counter, f.verifier.verify(f.seal(counter).envelope()).counter());
        }
    }

    // --- replay and reordering --------------------------------------------------------------------

    @Test
    void sameEnvelopeTwiceIsRefusedAsReplay() throws Exception {
        byte[] envelope = f.seal(3).envelope();
        f.verifier.verify(envelope);
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(f.verifier, envelope));
        assertEquals(3, f.verifier.lastAcceptedCounter());
    }

    @Test
    void lowerCounterIsRefused() throws Exception {
        byte[] older = f.seal(4).envelope();
        f.verifier.verify(f.seal(5).envelope());
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(f.verifier, older));
        assertEquals(5, f.verifier.lastAcceptedCounter());
    }

    @Test
    void equalCounterIsRefusedEvenForAnotherCommand() throws Exception {
        f.verifier.verify(f.seal(5).envelope());
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(f.verifier, f.seal(5).envelope()));
    }

    @Test
    void counterZeroIsRefused() throws Exception {
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(f.verifier, f.resign(f.seal(1), h -> h.setCounter(0))));
    }

    @Test
    void counterAboveSignedInt64RangeFailsClosed() throws Exception {
        // uint64 2^64 - 1 on the wire: a lock must not read it as a small or negative number and accept it.
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(f.verifier, f.resign(f.seal(1), h -> h.setCounter(-1L))));
        assertEquals(0, f.verifier.lastAcceptedCounter());
    }

    @Test
    void refusedCommandDoesNotAdvanceTheCounter() throws Exception {
        byte[] expired = f.builder.seal(Fixture.spec(10, NOW.minusSeconds(10), NOW.minusSeconds(5)), f.lock).envelope();
        assertEquals(RejectionReason.EXPIRED, rejection(f.verifier, expired));
        assertEquals(0, f.verifier.lastAcceptedCounter());
        assertEquals(2, f.verifier.verify(f.seal(2).envelope()).counter());
    }

    // --- time -------------------------------------------------------------------------------------

    @Test
    void expiredCommandIsRefused() {
        byte[] envelope = f.builder.seal(Fixture.spec(1, NOW.minusSeconds(10), NOW.minusSeconds(1)), f.lock).envelope();
        assertEquals(RejectionReason.EXPIRED, rejection(f.verifier, envelope));
    }

    @Test
    void commandExpiringExactlyNowIsRefusedAndOneMillisecondLaterIsAccepted() throws Exception {
        assertEquals(RejectionReason.EXPIRED, rejection(f.verifier, f.builder.seal(Fixture.spec(1, NOW.minusSeconds(2), NOW), f.lock).envelope()));
        f.verifier.verify(f.builder.seal(Fixture.spec(2, NOW.minusSeconds(2), NOW.plusMillis(1)), f.lock).envelope());
    }

    @Test
    void commandIssuedTooFarInTheFutureIsRefused() {
        Instant issued = NOW.plus(SKEW).plusMillis(1);
        assertEquals(RejectionReason.NOT_YET_VALID,
                rejection(f.verifier, f.builder.seal(Fixture.spec(1, issued, issued.plusSeconds(5)), f.lock).envelope()));
    }

    @Test
    void commandIssuedWithinTheSkewIsAccepted() throws Exception {
        Instant issued = NOW.plus(SKEW);
        f.verifier.verify(f.builder.seal(Fixture.spec(1, issued, issued.plusSeconds(5)), f.lock).envelope());
    }

    @Test
    void lifetimeOverTheMaximumIsRefused() throws Exception {
        Instant issued = NOW.minusSeconds(1);
        assertEquals(RejectionReason.LIFETIME_TOO_LONG, rejection(f.verifier,
                f.builder.seal(Fixture.spec(1, issued, issued.plus(MAX_LIFETIME).plusMillis(1)), f.lock).envelope()));
        f.verifier.verify(f.builder.seal(Fixture.spec(2, issued, issued.plus(MAX_LIFETIME)), f.lock).envelope());
    }

    @Test
    void expiryNotAfterIssueIsMalformed() throws Exception {
        SealedCommand sealed = f.seal(1);
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier,
                f.resign(sealed, h -> h.setExpiresAtUnixMs(h.getIssuedAtUnixMs()))));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier,
                f.resign(sealed, h -> h.setExpiresAtUnixMs(h.getIssuedAtUnixMs() - 1))));
    }

    @Test
    void extremeTimestampsAreRefusedNotThrown() throws Exception {
        SealedCommand sealed = f.seal(1);
        assertEquals(RejectionReason.LIFETIME_TOO_LONG, rejection(f.verifier,
                f.resign(sealed, h -> h.setIssuedAtUnixMs(Long.MIN_VALUE).setExpiresAtUnixMs(Long.MAX_VALUE))));
        assertEquals(RejectionReason.NOT_YET_VALID, rejection(f.verifier,
                f.resign(sealed, h -> h.setIssuedAtUnixMs(Long.MAX_VALUE - 1000).setExpiresAtUnixMs(Long.MAX_VALUE))));
    }

    // --- addressing -------------------------------------------------------------------------------

    @Test
    void envelopeForAnotherLockIsRefused() {
        InMemoryLockKeys otherKeys = InMemoryLockKeys.generate();
        LockIdentity other = new LockIdentity("another-lock", otherKeys.signingPublicKey(), otherKeys.agreementPublicKey(), 1);
        assertEquals(RejectionReason.WRONG_LOCK, rejection(f.verifier, f.builder.seal(Fixture.spec(1), other).envelope()));
    }

    @Test
    void envelopeNamingAnotherLockWithThisLocksKeyIsRefused() throws Exception {
        // The platform signed it, the key agreement even matches this lock: only the lock id differs.
        LockIdentity sameKeysOtherId = new LockIdentity("another-lock", f.lockKeys.signingPublicKey(), f.lockKeys.agreementPublicKey(), 1);
        assertEquals(RejectionReason.WRONG_LOCK, rejection(f.verifier, f.builder.seal(Fixture.spec(1), sameKeysOtherId).envelope()));
    }

    @Test
    void envelopeForAnotherAgreementKeyOfThisLockIsRefused() {
        InMemoryLockKeys oldKeys = InMemoryLockKeys.generate();
        LockIdentity stale = new LockIdentity(LOCK_ID, oldKeys.signingPublicKey(), oldKeys.agreementPublicKey(), 1);
        assertEquals(RejectionReason.WRONG_LOCK_KEY, rejection(f.verifier, f.builder.seal(Fixture.spec(1), stale).envelope()));
    }

    @Test
    void envelopeForAnotherKeyEpochIsRefused() {
        for (int epoch : new int[] {0, 2}) {
            LockIdentity otherEpoch = new LockIdentity(LOCK_ID, f.lockKeys.signingPublicKey(), f.lockKeys.agreementPublicKey(), epoch);
            assertEquals(RejectionReason.WRONG_EPOCH, rejection(f.verifier, f.builder.seal(Fixture.spec(1), otherEpoch).envelope()));
        }
    }

    @Test
    void counterOfAnotherEpochDoesNotCount() throws Exception {
        // A lock re-enrolled at epoch 2 starts again at counter 1, whatever epoch 1 reached.
        CounterStore shared = new InMemoryCounterStore();
        Fixture epoch1 = new Fixture(shared);
        epoch1.verifier.verify(epoch1.seal(50).envelope());
        LockVerifier epoch2 = new LockVerifier(LOCK_ID, 2, epoch1.lockKeys,
                new TrustedPlatformKeys(epoch1.platform.signingPublicKey(), epoch1.platform.agreementPublicKey()), shared,
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), SKEW, MAX_LIFETIME);
        LockIdentity reenrolled = new LockIdentity(LOCK_ID, epoch1.lockKeys.signingPublicKey(), epoch1.lockKeys.agreementPublicKey(), 2);
        assertEquals(1, epoch2.verify(epoch1.builder.seal(Fixture.spec(1), reenrolled).envelope()).counter());
        assertEquals(50, shared.lastAccepted(1));
    }

    // --- platform keys ----------------------------------------------------------------------------

    @Test
    void envelopeFromAnUntrustedPlatformIsRefused() {
        CommandBuilder stranger = new CommandBuilder(InMemoryPlatformKeys.generate());
        assertEquals(RejectionReason.UNKNOWN_PLATFORM_KEY, rejection(f.verifier, stranger.seal(Fixture.spec(1), f.lock).envelope()));
    }

    @Test
    void envelopeSignedByAForeignKeyClaimingThePlatformsKeyIdIsRefused() {
        PlatformKeys forger = Fixture.impersonating(InMemoryPlatformKeys.generate(), f.platform);
        assertEquals(RejectionReason.BAD_SIGNATURE, rejection(f.verifier, new CommandBuilder(forger).seal(Fixture.spec(1), f.lock).envelope()));
    }

    @Test
    void revokedSigningKeyIsRefusedEvenThoughTrusted() {
        LockVerifier verifier = f.verifierWith(f.verifier.trustedKeys().revoke(f.platform.signingKeyId()));
        assertEquals(RejectionReason.REVOKED_PLATFORM_KEY, rejection(verifier, f.seal(1).envelope()));
    }

    @Test
    void revokedAgreementKeyIsRefusedEvenThoughTrusted() {
        LockVerifier verifier = f.verifierWith(f.verifier.trustedKeys().revoke(f.platform.agreementKeyId()));
        assertEquals(RejectionReason.REVOKED_PLATFORM_KEY, rejection(verifier, f.seal(1).envelope()));
    }

    @Test
    void platformKeyRotationAcceptsTheNewKeyAndRevocationRetiresTheOld() throws Exception {
        InMemoryPlatformKeys next = InMemoryPlatformKeys.generate();
        f.verifier.updateTrustedKeys(f.verifier.trustedKeys().withSigningKey(next.signingPublicKey()).withAgreementKey(next.agreementPublicKey()));
        CommandBuilder nextBuilder = new CommandBuilder(next);
        f.verifier.verify(f.seal(1).envelope());
        f.verifier.verify(nextBuilder.seal(Fixture.spec(2), f.lock).envelope());

        f.verifier.updateTrustedKeys(f.verifier.trustedKeys().revoke(f.platform.signingKeyId()).revoke(f.platform.agreementKeyId()));
        assertEquals(RejectionReason.REVOKED_PLATFORM_KEY, rejection(f.verifier, f.seal(3).envelope()));
        f.verifier.verify(nextBuilder.seal(Fixture.spec(4), f.lock).envelope());
    }

    @Test
    void commandKeyIsBoundToThePlatformAgreementKeyNamedInTheHeader() {
        // Signed correctly, but encrypted with another agreement key than the header names.
        InMemoryPlatformKeys second = InMemoryPlatformKeys.generate();
        LockVerifier verifier = f.verifierWith(new TrustedPlatformKeys(List.of(f.platform.signingPublicKey()),
                List.of(f.platform.agreementPublicKey(), second.agreementPublicKey()), Set.of()));
        CommandBuilder lying = new CommandBuilder(Fixture.claimingAgreementKey(f.platform, second));
        assertEquals(RejectionReason.DECRYPTION_FAILED, rejection(verifier, lying.seal(Fixture.spec(1), f.lock).envelope()));
    }

    // --- integrity --------------------------------------------------------------------------------

    @Test
    void everyFlippedBitPatternAnywhereInTheEnvelopeIsRefused() throws Exception {
        SealedCommand sealed = f.seal(9);
        byte[] envelope = sealed.envelope();
        CommandEnvelope parsed = CommandEnvelope.parseFrom(envelope);
        int[][] regions = {
            region(envelope, parsed.getHeader().toByteArray()),
            region(envelope, parsed.getNonce().toByteArray()),
            region(envelope, parsed.getCiphertext().toByteArray()),
            region(envelope, parsed.getSignature().toByteArray()),
        };
        Set<RejectionReason> headerReasons = EnumSet.noneOf(RejectionReason.class);
        int tried = 0;
        for (int position = 0; position < envelope.length; position++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                RejectionReason reason = rejection(f.verifier, Fixture.flip(envelope, position, mask));
                tried++;
                if (inside(regions[0], position)) {
                    headerReasons.add(reason);
                    assertTrue(EnumSet.of(RejectionReason.MALFORMED, RejectionReason.UNSUPPORTED_VERSION,
                            RejectionReason.UNKNOWN_PLATFORM_KEY, RejectionReason.BAD_SIGNATURE).contains(reason),
                            "header byte " + position + ": " + reason);
                } else if (inside(regions[1], position) || inside(regions[2], position) || inside(regions[3], position)) {
                    assertEquals(RejectionReason.BAD_SIGNATURE, reason, "byte " + position);
                } else {
                    assertEquals(RejectionReason.MALFORMED, reason, "framing byte " + position);
                }
            }
        }
        assertEquals(envelope.length * 3, tried);
        assertTrue(headerReasons.contains(RejectionReason.BAD_SIGNATURE), "header content changes must reach the signature check");
        assertEquals(0, f.verifier.lastAcceptedCounter(), "no tampered envelope may advance the counter");
        assertEquals(9, f.verifier.verify(envelope).counter(), "the original still verifies afterwards");
    }

    @Test
    void truncatedOrExtendedEnvelopesAreRefused() throws Exception {
        byte[] envelope = f.seal(1).envelope();
        for (int length = 0; length < envelope.length; length++) {
            RejectionReason reason = rejection(f.verifier, Arrays.copyOf(envelope, length));
            assertTrue(reason == RejectionReason.MALFORMED || reason == RejectionReason.BAD_SIGNATURE, length + ": " + reason);
        }
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, Arrays.copyOf(envelope, envelope.length + 1)));
        f.verifier.verify(envelope);
    }

    @Test
    void malleatedSignatureIsRefused() throws Exception {
        // Ed25519 S + L is the same signature to a lax verifier; accepting it would give one command two hashes.
        SealedCommand sealed = f.seal(1);
        CommandEnvelope parsed = CommandEnvelope.parseFrom(sealed.envelope());
        byte[] signature = parsed.getSignature().toByteArray();
        BigInteger order = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
        BigInteger s = new BigInteger(1, reverse(Arrays.copyOfRange(signature, 32, 64))).add(order);
        byte[] sBytes = reverse(leftPad(s.toByteArray(), 32));
        byte[] malleated = Arrays.copyOf(signature, 64);
        System.arraycopy(sBytes, 0, malleated, 32, 32);
        byte[] envelope = parsed.toBuilder().setSignature(ByteString.copyFrom(malleated)).build().toByteArray();
        assertEquals(RejectionReason.BAD_SIGNATURE, rejection(f.verifier, envelope));
    }

    @Test
    void headerIsAuthenticatedAsAdditionalData() throws Exception {
        // A validly signed envelope whose ciphertext was sealed under another header: only the AAD catches it.
        byte[] header = f.header(1).build().toByteArray();
        byte[] otherHeader = f.header(1).setExpiresAtUnixMs(NOW.plusSeconds(50).toEpochMilli()).build().toByteArray();
        byte[] envelope = f.forge(header, CommandKey.nonce(1, 1), otherHeader, Fixture.body().build().toByteArray());
        assertEquals(RejectionReason.DECRYPTION_FAILED, rejection(f.verifier, envelope));
        f.verifier.verify(f.forge(header, Fixture.body().build().toByteArray()));
    }

    @Test
    void nonceThatIsNotEpochAndCounterIsRefused() throws Exception {
        byte[] header = f.header(2).build().toByteArray();
        byte[] body = Fixture.body().build().toByteArray();
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, CommandKey.nonce(1, 3), header, body)));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, CommandKey.nonce(2, 2), header, body)));
    }

    // --- parsing ----------------------------------------------------------------------------------

    @Test
    void oversizedEnvelopeIsRefusedBeforeParsing() {
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, new byte[LockVerifier.MAX_ENVELOPE_BYTES + 1]));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, new byte[0]));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, null));
    }

    @Test
    void validlySignedButOversizedEnvelopeIsRefused() throws Exception {
        String longId = "x".repeat(LockVerifier.MAX_ENVELOPE_BYTES);
        byte[] big = f.resign(f.seal(1), h -> h.setLockId(longId));
        assertTrue(big.length > LockVerifier.MAX_ENVELOPE_BYTES);
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, big));
    }

    @Test
    void nonCanonicalEnvelopeEncodingsAreRefused() throws Exception {
        byte[] envelope = f.seal(1).envelope();
        CommandEnvelope parsed = CommandEnvelope.parseFrom(envelope);
        byte[] h = parsed.getHeader().toByteArray();
        byte[] n = parsed.getNonce().toByteArray();
        byte[] c = parsed.getCiphertext().toByteArray();
        byte[] s = parsed.getSignature().toByteArray();

        List<byte[]> variants = new ArrayList<>();
        variants.add(concat(envelope, field(5, new byte[] {1})));                                  // unknown field
        variants.add(concat(field(2, n), field(1, h), field(3, c), field(4, s)));                   // reordered
        variants.add(concat(field(1, h), field(2, n), field(3, c), field(4, s), field(4, s)));      // repeated
        variants.add(concat(field(1, new byte[] {9}), field(1, h), field(2, n), field(3, c), field(4, s))); // shadowed header
        variants.add(concat(nonMinimalField(1, h), field(2, n), field(3, c), field(4, s)));         // padded length
        for (byte[] variant : variants) {
            // Each carries the same, validly signed content: a lax parser would accept it under another hash.
            CommandEnvelope same = CommandEnvelope.parseFrom(variant);
            assertEquals(parsed.getSignature(), same.getSignature());
            assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, variant));
        }
        f.verifier.verify(envelope);
    }

    @Test
    void nonCanonicalHeaderIsRefusedEvenWhenSigned() throws Exception {
        byte[] header = f.header(1).build().toByteArray();
        byte[] body = Fixture.body().build().toByteArray();
        byte[] unknownField = concat(header, field(15, new byte[] {1}));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(unknownField, CommandKey.nonce(1, 1), unknownField, body)));
        byte[] shadowedLockId = concat(fieldString(2, "another-lock"), header);
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(shadowedLockId, CommandKey.nonce(1, 1), shadowedLockId, body)));
        f.verifier.verify(f.forge(header, body));
    }

    @Test
    void unsupportedVersionIsRefused() throws Exception {
        assertEquals(RejectionReason.UNSUPPORTED_VERSION, rejection(f.verifier, f.resign(f.seal(1), h -> h.setVersion(2))));
        assertEquals(RejectionReason.UNSUPPORTED_VERSION, rejection(f.verifier, f.resign(f.seal(1), h -> h.setVersion(0))));
    }

    @Test
    void commandIdOfTheWrongLengthIsRefused() throws Exception {
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier,
                f.resign(f.seal(1), h -> h.setCommandId(ByteString.copyFrom(new byte[15])))));
    }

    @Test
    void unusableAuthenticatedBodyIsRefused() throws Exception {
        byte[] header = f.header(1).build().toByteArray();
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier,
                f.forge(header, Fixture.body().setAction(Action.ACTION_UNSPECIFIED).build().toByteArray())));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, Fixture.body().setActionValue(99).build().toByteArray())));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, Fixture.body().clearRequester().build().toByteArray())));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, new byte[] {(byte) 0xff, 0x01})));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier,
                f.forge(header, concat(Fixture.body().build().toByteArray(), field(9, new byte[] {1})))));
        // Known fields only, but not in the one canonical encoding: requester before action, or action twice.
        byte[] requester = field(2, Fixture.body().build().getRequester().toByteArray());
        byte[] unlock = {0x08, 0x01};
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, concat(requester, unlock))));
        assertEquals(RejectionReason.MALFORMED, rejection(f.verifier, f.forge(header, concat(new byte[] {0x08, 0x02}, unlock, requester))));
        assertEquals(0, f.verifier.lastAcceptedCounter());
        f.verifier.verify(f.forge(header, Fixture.body().build().toByteArray()));
    }

    // --- durability -------------------------------------------------------------------------------

    @Test
    void counterThatCannotBePersistedRefusesTheCommand(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path storeDir = dir.resolve("state");
        FileCounterStore store = FileCounterStore.create(storeDir.resolve("counters"));
        Fixture fixture = new Fixture(store);
        fixture.verifier.verify(fixture.seal(1).envelope());
        // The state directory becomes unusable (a real I/O failure, no mock): the lock must not actuate.
        java.nio.file.Path moved = dir.resolve("moved");
        java.nio.file.Files.move(storeDir, moved);
        java.nio.file.Files.writeString(storeDir, "not a directory");

        assertEquals(RejectionReason.INTERNAL_ERROR, rejection(fixture.verifier, fixture.seal(2).envelope()));
        assertEquals(1, fixture.verifier.lastAcceptedCounter());
    }

    // --- concurrency ------------------------------------------------------------------------------

    @Test
    void concurrentDeliveriesOfOneCommandAreAcceptedExactlyOnce() throws Exception {
        for (int round = 1; round <= 20; round++) {
            byte[] envelope = f.seal(round).envelope();
            List<Object> outcomes = race(8, () -> f.verifier.verify(envelope));
            assertEquals(1, outcomes.stream().filter(VerifiedCommand.class::isInstance).count(), "round " + round + ": " + outcomes);
            assertTrue(outcomes.stream().filter(o -> !(o instanceof VerifiedCommand))
                    .allMatch(o -> o == RejectionReason.REPLAYED_COUNTER), outcomes.toString());
        }
    }

    @Test
    void verifierItselfSerializesCheckAndAdvance() throws Exception {
        // A lock's store may be a plain variable written slowly to flash; the verifier alone must make
        // "counter > last, then advance" atomic, or two concurrent deliveries both pass the check.
        CounterStore plain = new CounterStore() {
            private final java.util.Map<Integer, Long> last = new java.util.HashMap<>();

            @Override
            public long lastAccepted(int keyEpoch) {
                return last.getOrDefault(keyEpoch, 0L);
            }

            @Override
            public void advance(int keyEpoch, long counter) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                last.put(keyEpoch, counter);
            }
        };
        Fixture slow = new Fixture(plain);
        byte[] envelope = slow.seal(1).envelope();
        List<Object> outcomes = race(6, () -> slow.verifier.verify(envelope));
        assertEquals(1, outcomes.stream().filter(VerifiedCommand.class::isInstance).count(), outcomes.toString());
        assertTrue(outcomes.stream().filter(o -> !(o instanceof VerifiedCommand)).allMatch(o -> o == RejectionReason.REPLAYED_COUNTER));
    }

    @Test
    void twoVerifiersSharingOneStoreAcceptACommandExactlyOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // Two gateway sessions of one lock (a reconnect racing the old stream) share its counter store.
        for (CounterStore store : List.of(new InMemoryCounterStore(), FileCounterStore.create(dir.resolve("counters")))) {
            Fixture shared = new Fixture(store);
            LockVerifier second = shared.verifierWith(shared.verifier.trustedKeys());
            for (int round = 1; round <= 10; round++) {
                byte[] envelope = shared.seal(round).envelope();
                int[] turn = {0};
                List<Object> outcomes = race(6, () -> {
                    LockVerifier verifier;
                    synchronized (turn) {
                        verifier = turn[0]++ % 2 == 0 ? shared.verifier : second;
                    }
                    return verifier.verify(envelope);
                });
                assertEquals(1, outcomes.stream().filter(VerifiedCommand.class::isInstance).count(), store + " round " + round + ": " + outcomes);
            }
        }
    }

    @Test
    void acknowledgingACommandOfAnotherEpochIsAProgrammingError() throws Exception {
        VerifiedCommand verified = f.verifier.verify(f.seal(1).envelope());
        LockVerifier otherEpoch = new LockVerifier(LOCK_ID, 2, f.lockKeys, f.verifier.trustedKeys(), new InMemoryCounterStore(),
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), SKEW, MAX_LIFETIME);
        assertThrows(IllegalArgumentException.class, () -> otherEpoch.acknowledge(verified, NOW));
    }

    @Test
    void constructorRefusesUnsafeSettings() {
        TrustedPlatformKeys trusted = f.verifier.trustedKeys();
        java.time.Clock clock = java.time.Clock.systemUTC();
        assertThrows(IllegalArgumentException.class, () -> new LockVerifier(" ", 1, f.lockKeys, trusted, f.counters, clock, SKEW, MAX_LIFETIME));
        assertThrows(IllegalArgumentException.class, () -> new LockVerifier(LOCK_ID, -1, f.lockKeys, trusted, f.counters, clock, SKEW, MAX_LIFETIME));
        assertThrows(IllegalArgumentException.class,
                () -> new LockVerifier(LOCK_ID, 1, f.lockKeys, trusted, f.counters, clock, Duration.ofSeconds(-1), MAX_LIFETIME));
        assertThrows(IllegalArgumentException.class,
                () -> new LockVerifier(LOCK_ID, 1, f.lockKeys, trusted, f.counters, clock, SKEW, Duration.ZERO));
    }

    @Test
    void claimedCommandIdIsReadWithoutVerifying() {
        SealedCommand sealed = f.seal(1);
        assertEquals(sealed.commandId(), LockVerifier.claimedCommandId(sealed.envelope()));
        assertEquals(null, LockVerifier.claimedCommandId(new byte[] {1, 2, 3}));
    }

    // --- helpers ----------------------------------------------------------------------------------

    interface Attempt {
        VerifiedCommand run() throws CommandRejectedException;
    }

    /** Runs {@code attempt} on {@code threads} threads released at once; each outcome is a VerifiedCommand or a RejectionReason. */
    static List<Object> race(int threads, Attempt attempt) throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return attempt.run();
                    } catch (CommandRejectedException e) {
                        return e.reason();
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (java.util.concurrent.Future<Object> future : futures) {
                outcomes.add(future.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] region(byte[] envelope, byte[] content) {
        int start = Fixture.indexOf(envelope, content);
        return new int[] {start, start + content.length};
    }

    private static boolean inside(int[] region, int position) {
        return position >= region[0] && position < region[1];
    }

    static byte[] field(int number, byte[] value) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeByteArray(number, value);
        coded.flush();
        return out.toByteArray();
    }

    static byte[] fieldString(int number, String value) throws Exception {
        return field(number, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A length-delimited field whose length varint has a redundant continuation byte. */
    private static byte[] nonMinimalField(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((number << 3) | 2);
        int length = value.length;
        while (length >= 0x80) {
            out.write((length & 0x7f) | 0x80);
            length >>>= 7;
        }
        out.write(length | 0x80);
        out.write(0x00);
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[i] = bytes[bytes.length - 1 - i];
        }
        return reversed;
    }

    private static byte[] leftPad(byte[] bigEndian, int length) {
        byte[] padded = new byte[length];
        int copy = Math.min(length, bigEndian.length);
        System.arraycopy(bigEndian, bigEndian.length - copy, padded, length - copy, copy);
        return padded;
    }
}
