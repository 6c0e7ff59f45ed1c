package dev.portcullis.audit.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheInitialPauseUpToTheCap() {
        Duration initial = Duration.ofSeconds(10);
        Duration max = Duration.ofMinutes(1);
        assertEquals(Duration.ofSeconds(10), DeliveryWorker.backoff(1, initial, max));
        assertEquals(Duration.ofSeconds(20), DeliveryWorker.backoff(2, initial, max));
        assertEquals(Duration.ofSeconds(40), DeliveryWorker.backoff(3, initial, max));
        assertEquals(max, DeliveryWorker.backoff(4, initial, max));
        assertEquals(max, DeliveryWorker.backoff(1_000, initial, max), "no overflow however many attempts");
    }
}
