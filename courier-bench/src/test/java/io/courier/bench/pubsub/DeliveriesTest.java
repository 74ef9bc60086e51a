package io.courier.bench.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.courier.core.CourierException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DeliveriesTest {
    private static final Duration STALL = Duration.ofMillis(200);

    @Test
    void shouldMeasureFromTheLastWarmUpMessageToTheLast() {
        Deliveries d = new Deliveries(new PubSubSettings(8, 4, 2, 1, 10, STALL));
        d.beginPublishing(1_000);
        long[] arrivals = {2_000, 3_000, 5_000, 7_000, 9_000, 11_000};
        for (long t : arrivals) {
            d.tally(0).onMessage(t);
        }
        d.endPublishing(7_000);
        d.await(STALL);

        PubSubResult r = d.result("raw");
        assertThat(r.msgsPerSecond()).isEqualTo(4 * 1e9 / 8_000);   // 4 measured, from 3,000 to 11,000 ns
        assertThat(r.delivered()).isEqualTo(6);
        assertThat(r.notDelivered()).isZero();
        assertThat(r.publishedPerSecond()).isEqualTo(6 * 1e9 / 6_000);
    }

    @Test
    void shouldCountReportedLossesAndWhatNeverArrived() {
        Deliveries d = new Deliveries(new PubSubSettings(8, 10, 0, 2, 10, STALL));
        d.beginPublishing(1_000);
        for (int i = 0; i < 10; i++) {
            d.tally(0).onMessage(2_000 + i);
        }
        for (int i = 0; i < 5; i++) {
            d.tally(1).onMessage(2_000 + i);
        }
        d.tally(1).onLost(3, 3_000);
        d.tally(1).onGap(1);
        d.await(STALL);   // subscriber 1 stalls with 2 unaccounted for

        PubSubResult r = d.result("courier");
        assertThat(r.lost()).isEqualTo(3);
        assertThat(r.missing()).isEqualTo(2);
        assertThat(r.gaps()).isEqualTo(1);
        assertThat(r.notDelivered()).isEqualTo(5);
        assertThat(r.slowestPerSecond()).isLessThan(r.msgsPerSecond());
    }

    @Test
    void shouldMeasureLatencyOfTheMeasuredMessagesOnly() {
        Deliveries d = new Deliveries(new PubSubSettings(8, 3, 1, 1, 10, STALL));
        d.beginPublishing(1_000);
        d.tally(0).onMessage(1_000_000, 1_000);               // warm-up: 999 us, not recorded
        d.tally(0).onMessage(2_000_000, 1_990_000);           // 10 us
        d.tally(0).onMessage(3_000_000, 2_980_000);           // 20 us
        d.tally(0).onMessage(4_000_000, 3_900_000);           // 100 us
        d.await(STALL);

        PubSubResult.Latency latency = d.result("raw").latency();
        assertThat(latency.p50Micros()).isCloseTo(20, within(0.1));
        assertThat(latency.maxMicros()).isCloseTo(100, within(0.1));
    }

    @Test
    void shouldReadBackTheSendTimeStampedIntoABody() {
        byte[] template = new byte[64];
        byte[] body = PubSubSettings.stamped(template, 123_456_789_012L);

        assertThat(PubSubSettings.stampOf(body)).isEqualTo(123_456_789_012L);
        assertThat(body).hasSize(64);
        assertThat(template).containsOnly(0);
        assertThat(PubSubSettings.stampOf(PubSubSettings.stamped(new byte[7], 42))).isZero();
    }

    @Test
    void shouldFailWhenNothingMeasuredArrived() {
        Deliveries d = new Deliveries(new PubSubSettings(8, 10, 5, 1, 10, STALL));
        d.beginPublishing(1_000);
        d.tally(0).onMessage(2_000);

        assertThatThrownBy(() -> d.await(STALL)).isInstanceOf(CourierException.class)
                .hasMessageContaining("no measured message");
    }

    @Test
    void shouldRethrowWhatARunFailedWith() {
        Deliveries d = new Deliveries(new PubSubSettings(8, 10, 0, 1, 10, STALL));
        d.fail(new IllegalStateException("subscriber broke"));

        assertThatThrownBy(() -> d.await(STALL)).hasMessage("subscriber broke");
    }
}
