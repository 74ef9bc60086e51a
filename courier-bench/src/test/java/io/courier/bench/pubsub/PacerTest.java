package io.courier.bench.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PacerTest {

    @Test
    void shouldNeverLetMessagesOutFasterThanTheRate() {
        Pacer pacer = new Pacer(1_000);
        long start = System.nanoTime();
        for (int i = 0; i < 101; i++) {
            pacer.awaitTurn();
        }
        // message 100 is due 100 ms after message 0: a lower bound, whatever the machine's load
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
    }

    @Test
    void shouldNotWaitAtRateZero() {
        Pacer pacer = new Pacer(0);
        for (int i = 0; i < 1_000_000; i++) {
            pacer.awaitTurn();   // a million turns: would take 1,000 s if it waited even 1 ms each
        }
        assertThat(pacer).isNotNull();
    }
}
