package dev.portcullis.identity.password;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission for Argon2id work: at most {@code maxConcurrent} runs at once and {@code maxWaiting} more
 * admitted to wait for a slot; anything beyond is refused at once ({@link #admit()} is false).
 */
final class HashingGate {

    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Semaphore slots;

    HashingGate(int maxConcurrent, int maxWaiting) {
        if (maxConcurrent < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("at least one concurrent run, and no negative queue");
        }
        this.capacity = maxConcurrent + maxWaiting;
        this.slots = new Semaphore(maxConcurrent, true);
    }

    /** Reserves a place; false when the gate is full (the caller answers 503). Each true needs one {@link #leave()}. */
    boolean admit() {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        admitted.decrementAndGet();
    }

    /** Runs admitted work once a slot is free (blocks: call it on a worker thread). */
    <T> T run(Callable<T> work) throws Exception {
        slots.acquire();
        try {
            return work.call();
        } finally {
            slots.release();
        }
    }
}
