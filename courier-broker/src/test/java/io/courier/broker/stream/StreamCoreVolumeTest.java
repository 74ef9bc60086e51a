package io.courier.broker.stream;

import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Headers;
import io.courier.protocol.StreamStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A sanity run of the hot path at volume; no timing is asserted (benchmarks live in courier-bench). */
@Timeout(10)
class StreamCoreVolumeTest {

    @Test
    void shouldPublishAMillionMessagesToTwoLiveSubscribers() {
        StreamFixture fx = new StreamFixture();
        fx.sink.recording = false;
        fx.subscribe(peer("one"), 1, "ticks", StreamStart.NOW);
        fx.subscribe(peer("two"), 1, "", StreamStart.NOW);
        byte[] payload = new byte[64];

        long seq = 0;
        for (int i = 0; i < 1_000_000; i++) {
            seq = fx.core.publish("ticks", Headers.EMPTY, new byte[][] {payload});
        }

        assertThat(seq).isEqualTo(1_000_000);
        assertThat(fx.sink.events).isEqualTo(2_000_000);
        StreamStats stats = fx.core.stats();
        assertThat(stats.delivered()).isEqualTo(2_000_000);
        assertThat(stats.retainedMessages()).isEqualTo(StreamSettings.defaults().maxMessages());
        assertThat(fx.core.hasBacklog()).isFalse();
    }
}
