package io.courier.broker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Headers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retention per stream-name pattern: each stream keeps what the first matching rule says, else the defaults. */
@Timeout(10)
class StreamCoreRetentionTest {
    private static final StreamSettings SETTINGS = StreamFixture.settings(3, 100).withRules(List.of(
            new PatternRetention("prices.*", new Retention(5, 1L << 30, Duration.ofHours(1))),
            new PatternRetention("ticks.*", new Retention(1_000, 1L << 30, Duration.ofSeconds(10))),
            new PatternRetention("small", new Retention(1_000, 20, Duration.ofHours(1)))));

    @Test
    void shouldKeepADifferentCountPerRule() {
        StreamFixture fx = new StreamFixture(SETTINGS);

        fx.publish("prices.eur", 10);
        fx.publish("orders", 10);

        assertThat(view(fx, "prices.eur")).isEqualTo(new long[] {10, 6, 5});
        assertThat(view(fx, "orders")).as("the defaults").isEqualTo(new long[] {10, 8, 3});
        assertThat(fx.core.retention("prices.eur")).contains(SETTINGS.rules().get(0).retention());
        assertThat(fx.core.retention("orders")).contains(SETTINGS.defaultRetention());
        assertThat(fx.core.retention("nothing")).isEmpty();
    }

    @Test
    void shouldKeepBytesPerRule() {
        StreamFixture fx = new StreamFixture(SETTINGS);

        for (int i = 0; i < 3; i++) {
            fx.core.publish("small", Headers.EMPTY, new byte[][] {new byte[8]});
        }

        assertThat(fx.core.status().streams()).singleElement()
                .satisfies(v -> assertThat(v.retainedBytes()).isEqualTo(16));
    }

    @Test
    void shouldEvictByTheAgeOfEachStreamsRule() {
        StreamFixture fx = new StreamFixture(SETTINGS);
        fx.publish("ticks.eur", 2);
        fx.publish("orders", 2);

        fx.advanceMillis(11_000);
        fx.pass();

        assertThat(view(fx, "ticks.eur")).as("maxAge 10s: all gone").isEqualTo(new long[] {2, 3, 0});
        assertThat(view(fx, "orders")).as("maxAge 1h: all kept").isEqualTo(new long[] {2, 1, 2});
    }

    @Test
    void shouldCheckAgeOftenEnoughForTheShortestRule() {
        StreamFixture fx = new StreamFixture(SETTINGS);
        fx.pass();

        long next = fx.pass();

        assertThat(next - fx.loopMillis).as("a sixteenth of 10s").isEqualTo(625);
    }

    @Test
    void shouldResolveExistingStreamsAgainOnNewSettings() {
        StreamFixture fx = new StreamFixture(SETTINGS);
        fx.publish("prices.eur", 5);
        fx.publish("orders", 3);
        fx.publish("ticks.eur", 3);

        fx.core.onSettings(SETTINGS.withRules(List.of(
                new PatternRetention("orders", new Retention(2, 1L << 30, Duration.ofHours(1))),
                new PatternRetention("ticks.*", new Retention(1_000, 1L << 30, Duration.ofSeconds(1))))));

        assertThat(view(fx, "orders")).as("not before the next append").isEqualTo(new long[] {3, 1, 3});
        fx.publish("orders");
        fx.publish("prices.eur");
        assertThat(view(fx, "orders")).as("its new rule").isEqualTo(new long[] {4, 3, 2});
        assertThat(view(fx, "prices.eur")).as("no rule now: the defaults").isEqualTo(new long[] {6, 4, 3});
        fx.advanceMillis(2_000);
        fx.pass();
        assertThat(view(fx, "ticks.eur")).as("its new maxAge, at the next age check").isEqualTo(new long[] {3, 4, 0});
        fx.publish("prices.usd", 5);
        assertThat(view(fx, "prices.usd")).as("a new stream gets the new rules").isEqualTo(new long[] {5, 3, 3});
    }

    /** Head seq, first seq and count of stream {@code topic}. */
    private static long[] view(StreamFixture fx, String topic) {
        StreamStatus.StreamView v = fx.core.status().streams().stream().filter(s -> s.name().equals(topic))
                .findFirst().orElseThrow();
        return new long[] {v.headSeq(), v.firstSeq(), v.retained()};
    }
}
