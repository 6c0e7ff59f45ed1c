package dev.portcullis.lock.protocol;

import java.io.IOException;

/**
 * The lock's anti-replay state: per key epoch, the highest command counter it has accepted. It must
 * survive a reboot, or a captured command could be replayed after a power cycle.
 *
 * <p>A {@link LockVerifier} reads and advances it under its own lock, so a store used by one verifier
 * needs no synchronization of its own. A store shared by several verifiers (e.g. two gateway sessions
 * of one lock) must make {@link #advance} atomic and refuse a counter that is not greater, as
 * {@link InMemoryCounterStore} and {@link FileCounterStore} do.
 */
public interface CounterStore {

    /** The highest counter accepted in {@code keyEpoch}; 0 if none. */
    long lastAccepted(int keyEpoch);

    /**
     * Records {@code counter} as accepted in {@code keyEpoch}, durably, before returning. The lock
     * actuates only after this returns.
     *
     * @throws IllegalArgumentException if {@code counter} is not greater than {@link #lastAccepted(int)}
     * @throws IOException              if it could not be made durable (the command is then refused)
     */
    void advance(int keyEpoch, long counter) throws IOException;
}
