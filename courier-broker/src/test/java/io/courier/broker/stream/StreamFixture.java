package io.courier.broker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link StreamCore} with a {@link FakeEventSink} and a manual clock (wall and loop millis move together, only
 * when a test says so). Message bodies are {@code "topic#seq"}-like texts chosen by the tests.
 */
final class StreamFixture {
    static final long START_WALL_MILLIS = 1_700_000_000_000L;
    static final long START_LOOP_MILLIS = 42_000;

    final FakeEventSink sink = new FakeEventSink();
    final StreamCore core;
    long wallMillis = START_WALL_MILLIS;
    long loopMillis = START_LOOP_MILLIS;

    StreamFixture() {
        this(StreamSettings.defaults());
    }

    StreamFixture(StreamSettings settings) {
        core = new StreamCore(settings, sink, StreamMetrics.NONE, () -> wallMillis);
    }

    static StreamSettings settings(int maxMessages, int catchUpBatch) {
        return new StreamSettings(maxMessages, 1L << 30, Duration.ofHours(1), 100, catchUpBatch);
    }

    static PeerId peer(String name) {
        return new PeerId(name.getBytes(StandardCharsets.UTF_8));
    }

    static byte[][] body(String text) {
        return new byte[][] {text.getBytes(StandardCharsets.UTF_8)};
    }

    /** Publishes a message whose body is {@code "topic#n"}, n being the seq it should get; returns its seq. */
    long publish(String topic) {
        long expected = core.heads(topic).getOrDefault(topic, 0L) + 1;
        long seq = core.publish(topic, Headers.EMPTY, body(topic + "#" + expected));
        if (seq != StreamCore.REFUSED) {
            assertThat(seq).isEqualTo(expected);
        }
        return seq;
    }

    void publish(String topic, int count) {
        for (int i = 0; i < count; i++) {
            publish(topic);
        }
    }

    void subscribe(PeerId peer, long id, String prefix, StreamStart start) {
        core.subscribe(peer, id, prefix, start, 0, SlowPolicy.LAG, Map.of());
    }

    void subscribe(PeerId peer, long id, String prefix, StreamStart start, long value) {
        core.subscribe(peer, id, prefix, start, value, SlowPolicy.LAG, Map.of());
    }

    /** Runs one catch-up pass now; returns when the core wants to run again. */
    long pass() {
        return core.onTimers(loopMillis);
    }

    /** Runs catch-up passes until no subscription has a backlog (at most {@code 10_000}); returns how many. */
    int drain() {
        int passes = 0;
        while (core.hasBacklog()) {
            assertThat(passes).as("passes to drain the backlog").isLessThan(10_000);
            pass();
            passes++;
        }
        return passes;
    }

    void advanceMillis(long millis) {
        wallMillis += millis;
        loopMillis += millis;
    }
}
