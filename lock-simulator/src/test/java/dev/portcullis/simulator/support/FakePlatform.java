package dev.portcullis.simulator.support;

import dev.portcullis.lock.protocol.Acknowledgement;
import dev.portcullis.lock.protocol.AckRejectedException;
import dev.portcullis.lock.protocol.AckVerifier;
import dev.portcullis.lock.protocol.Attribution;
import dev.portcullis.lock.protocol.CommandBuilder;
import dev.portcullis.lock.protocol.CommandSpec;
import dev.portcullis.lock.protocol.InMemoryPlatformKeys;
import dev.portcullis.lock.protocol.LockCommandAction;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.SealedCommand;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The platform side for the simulator's tests: real platform keys (lock-protocol), a registry that
 * enrolls locks, a gateway they connect to, and the real command builder and acknowledgement verifier.
 */
public final class FakePlatform implements AutoCloseable {

    private final InMemoryPlatformKeys keys = InMemoryPlatformKeys.generate();
    private final CommandBuilder builder = new CommandBuilder(keys);
    private final AckVerifier ackVerifier = new AckVerifier();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final FakeRegistry registry;
    private final FakeGateway gateway;

    public FakePlatform(int keyEpoch) throws IOException {
        registry = new FakeRegistry(keys, keyEpoch);
        gateway = new FakeGateway(registry::identity);
    }

    public InMemoryPlatformKeys keys() {
        return keys;
    }

    public FakeRegistry registry() {
        return registry;
    }

    public FakeGateway gateway() {
        return gateway;
    }

    /** An unlock for the enrolled lock, with the next counter, valid for 5 seconds from now. */
    public SealedCommand unlock(String lockId) {
        Instant now = Instant.now();
        return seal(registry.identity(lockId), nextCounter(lockId), now, now.plusSeconds(5));
    }

    public SealedCommand seal(LockIdentity lock, long counter, Instant issuedAt, Instant expiresAt) {
        return seal(builder, lock, counter, issuedAt, expiresAt);
    }

    public static SealedCommand seal(CommandBuilder builder, LockIdentity lock, long counter, Instant issuedAt, Instant expiresAt) {
        return builder.seal(new CommandSpec(UUID.randomUUID(), LockCommandAction.UNLOCK, counter, issuedAt, expiresAt,
                new Attribution("org-1", "tenant-1", "app", UUID.randomUUID().toString())), lock);
    }

    /** A credential change for the enrolled lock, with the next counter, valid for 5 seconds from now. */
    public SealedCommand credential(String lockId, LockCommandAction action, dev.portcullis.lock.protocol.CredentialSpec credential) {
        Instant now = Instant.now();
        return builder.seal(new CommandSpec(UUID.randomUUID(), action, nextCounter(lockId), now, now.plusSeconds(5),
                new Attribution("org-1", "device-registry", "credential-sync", UUID.randomUUID().toString()), credential),
                registry.identity(lockId));
    }

    public long nextCounter(String lockId) {
        return counters.computeIfAbsent(lockId, id -> new AtomicLong()).incrementAndGet();
    }

    /** Delivers the command down the gateway and verifies the lock's signed answer against its enrolled key. */
    public Acknowledgement deliver(String lockId, byte[] envelope, byte[] commandHash) throws InterruptedException, AckRejectedException {
        byte[] ack = gateway.deliver(lockId, envelope, Duration.ofSeconds(10));
        return ackVerifier.verify(ack, commandHash, registry.identity(lockId));
    }

    public Acknowledgement verifyAck(String lockId, byte[] signedAck, byte[] commandHash) throws AckRejectedException {
        return ackVerifier.verify(signedAck, commandHash, registry.identity(lockId));
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    @Override
    public void close() {
        gateway.close();
        registry.close();
    }
}
