package io.courier.broker.stream;

import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unsubscribe, peers that go, the stream limit, retention through the core, status and stats. */
@Timeout(10)
class StreamCoreLifecycleTest {
    private static final PeerId P = peer("p");
    private static final PeerId Q = peer("q");

    @Test
    void shouldStopSendingAfterUnsubscribeAndSayUnsubscribed() {
        StreamFixture fx = new StreamFixture();
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a");

        assertThat(fx.core.unsubscribe(P, 1)).isTrue();
        fx.publish("a");

        assertThat(fx.sink.log(P, 1)).containsExactly("a#1");
        assertThat(fx.sink.unsubscribed).singleElement()
                .isEqualTo(new FakeEventSink.Unsubscribed(P, 1, "unsubscribed"));
        assertThat(fx.core.unsubscribe(P, 1)).isFalse();
        assertThat(fx.sink.unsubscribed).last().extracting(FakeEventSink.Unsubscribed::reason)
                .isEqualTo("no such subscription");
    }

    @Test
    void shouldDropEverySubscriptionOfAGonePeerAndNothingElse() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(1_000, 10));
        fx.publish("a", 100);
        fx.publish("b", 2);
        fx.subscribe(P, 1, "a", StreamStart.FIRST);   // catching up
        fx.subscribe(P, 2, "b", StreamStart.SEQ, 10);   // waiting beyond the head
        fx.subscribe(P, 3, "", StreamStart.NOW);
        fx.subscribe(Q, 1, "", StreamStart.NOW);
        fx.pass();

        fx.core.onPeerGone(P);
        fx.publish("a");
        fx.publish("b", 10);
        fx.pass();

        assertThat(fx.core.hasBacklog()).isFalse();
        assertThat(fx.core.stats().subscriptions()).isEqualTo(1);
        assertThat(fx.core.status().subscriptions()).singleElement()
                .satisfies(s -> assertThat(s.peer()).isEqualTo(Q.toString()));
        assertThat(fx.sink.items(P, 1)).hasSize(10);
        assertThat(fx.sink.items(P, 2)).isEmpty();
        assertThat(fx.sink.items(P, 3)).isEmpty();
        assertThat(fx.sink.items(Q, 1)).hasSize(11);
        assertThat(fx.sink.unsubscribed).isEmpty();
    }

    @Test
    void shouldRefuseAPublishThatWouldCreateAStreamPastTheLimit() {
        StreamFixture fx = new StreamFixture(StreamSettings.defaults().withMaxStreams(2));
        fx.subscribe(P, 1, "", StreamStart.NOW);
        fx.publish("a");
        fx.publish("b");

        assertThat(fx.core.publish("c", Headers.EMPTY, StreamFixture.body("c"))).isEqualTo(StreamCore.REFUSED);
        assertThat(fx.publish("a")).isEqualTo(2);

        assertThat(fx.sink.log(P, 1)).containsExactly("a#1", "b#1", "a#2");
        assertThat(fx.core.heads("")).containsOnlyKeys("a", "b");
        assertThat(fx.core.stats().refused()).isEqualTo(1);
        assertThat(fx.core.stats().streams()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAMessageWithoutBodyOrTopic() {
        StreamFixture fx = new StreamFixture();

        assertThatThrownBy(() -> fx.core.publish("a", Headers.EMPTY, new byte[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body frame");
        assertThatThrownBy(() -> fx.core.publish("", Headers.EMPTY, StreamFixture.body("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");
        assertThat(fx.core.stats().streams()).isZero();
    }

    @Test
    void shouldRetainByCountBytesAndAgeThroughTheCore() {
        StreamFixture fx = new StreamFixture(new StreamSettings(3, 1_000, Duration.ofSeconds(10), 10, 100));
        fx.publish("age", 2);
        fx.advanceMillis(9_000);
        fx.publish("age");
        fx.publish("count", 5);
        for (int i = 0; i < 3; i++) {
            fx.core.publish("bytes", Headers.EMPTY, new byte[][] {new byte[400]});
        }
        fx.advanceMillis(2_000);
        fx.pass();

        assertThat(fx.core.status().streams()).containsExactly(
                new StreamStatus.StreamView("age", 3, 3, 1, "age#3".length()),
                new StreamStatus.StreamView("bytes", 3, 2, 2, 800),
                new StreamStatus.StreamView("count", 5, 3, 3, 3 * "count#3".length()));
    }

    @Test
    void shouldReportSubscriptionsAndCountersInStatusAndStats() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(1_000, 10));
        fx.publish("a", 20);
        fx.subscribe(Q, 2, "a", StreamStart.FIRST);
        fx.core.subscribe(P, 1, "", StreamStart.NOW, 0, SlowPolicy.DISCONNECT, Map.of());
        fx.pass();

        assertThat(fx.core.status().subscriptions()).containsExactly(
                new StreamStatus.SubscriptionView(P.toString(), 1, "", "DISCONNECT", false, 0, 0),
                new StreamStatus.SubscriptionView(Q.toString(), 2, "a", "LAG", true, 10, 0));
        StreamStats stats = fx.core.stats();
        assertThat(stats.published()).isEqualTo(20);
        assertThat(stats.delivered()).isEqualTo(10);
        assertThat(stats.lagging()).isEqualTo(1);
        assertThat(stats.retainedMessages()).isEqualTo(20);
        assertThat(stats.retainedBytes()).isEqualTo(9 * 3 + 11 * 4);   // "a#1" to "a#9", then "a#10" to "a#20"
    }
}
