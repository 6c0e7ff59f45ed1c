package dev.portcullis.lock.protocol;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A counter store that forgets on restart: for tests and the platform-side test locks only. */
public final class InMemoryCounterStore implements CounterStore {

    private final ConcurrentMap<Integer, Long> counters = new ConcurrentHashMap<>();

    @Override
    public long lastAccepted(int keyEpoch) {
        return counters.getOrDefault(keyEpoch, 0L);
    }

    @Override
    public void advance(int keyEpoch, long counter) {
        counters.compute(keyEpoch, (epoch, last) -> {
            long previous = last == null ? 0L : last;
            if (counter <= previous) {
                throw new IllegalArgumentException("counter " + counter + " is not greater than " + previous);
            }
            return counter;
        });
    }
}
