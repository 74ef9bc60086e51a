package io.courier.broker.stream;

import static io.courier.broker.stream.StreamCoreStartTest.range;
import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.stream.FakeEventSink.Loss;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Full queues: the LAG policy's catch-up and LOSS, the DISCONNECT policy, fairness, and the loop's wake-ups. */
@Timeout(10)
class StreamCoreSlowSubscriberTest {
    private static final PeerId SLOW = peer("slow");
    private static final PeerId FAST = peer("fast");

    @Test
    void shouldCatchUpALaggingSubscriberFromTheRetainedLog() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(1_000, 10));
        fx.subscribe(SLOW, 1, "a", StreamStart.NOW);
        fx.publish("a", 3);
        fx.sink.room(SLOW, 0);

        fx.publish("a", 30);   // 4..33 refused live
        assertThat(fx.core.hasBacklog()).isTrue();
        assertThat(fx.pass()).as("comes back soon while the queue is full")
                .isEqualTo(fx.loopMillis + StreamCore.LAG_RETRY_MILLIS);
        assertThat(fx.core.stats().lagging()).isEqualTo(1);

        fx.sink.room(SLOW, 1_000);
        assertThat(fx.pass()).as("a full batch sent: more at once").isEqualTo(fx.loopMillis);
        assertThat(fx.sink.seqs(SLOW, 1, "a")).containsExactlyElementsOf(range(1, 13));
        fx.publish("a", 2);   // 34, 35 while still lagging: from the log, not live
        fx.drain();
        fx.publish("a");      // live again

        assertThat(fx.sink.seqs(SLOW, 1, "a")).containsExactlyElementsOf(range(1, 36));
        assertThat(fx.sink.losses(SLOW, 1)).isEmpty();
        assertThat(fx.core.status().subscriptions()).singleElement().satisfies(s -> {
            assertThat(s.lagging()).isFalse();
            assertThat(s.delivered()).isEqualTo(36);
        });
    }

    @Test
    void shouldSendOneLossForTheEvictedBacklogThenContinue() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(10, 100));
        fx.subscribe(SLOW, 1, "a", StreamStart.NOW);
        fx.publish("a", 2);
        fx.sink.room(SLOW, 0);

        fx.publish("a", 40);   // 3..42 refused; the log keeps 33..42
        fx.pass();
        fx.pass();
        fx.sink.unlimited(SLOW);
        fx.drain();
        fx.publish("a");

        assertThat(fx.sink.log(SLOW, 1).subList(0, 3)).containsExactly("a#1", "a#2", "loss a 3-32");
        assertThat(fx.sink.seqs(SLOW, 1, "a")).containsExactlyElementsOf(
                Stream.concat(range(1, 2).stream(), range(33, 43).stream()).toList());
        assertThat(fx.sink.losses(SLOW, 1)).singleElement()
                .isEqualTo(new Loss("a", 3, 32, StreamCore.EVICTED));
        assertThat(fx.core.stats().lost()).isEqualTo(30);
    }

    @Test
    void shouldReportTheWholeBacklogLostWhenEverythingAgedOut() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(100, 100)
                .withMaxAge(Duration.ofSeconds(10)));
        fx.subscribe(SLOW, 1, "a", StreamStart.NOW);
        fx.sink.room(SLOW, 0);
        fx.publish("a", 5);
        fx.advanceMillis(60_000);
        fx.pass();   // evicts by age; the queue is still full

        fx.sink.unlimited(SLOW);
        fx.drain();
        fx.publish("a");

        assertThat(fx.sink.log(SLOW, 1)).containsExactly("loss a 1-5", "a#6");
    }

    @Test
    void shouldRetryALossThatCouldNotBeSentAsOneWiderLoss() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(5, 100));
        fx.subscribe(SLOW, 1, "a", StreamStart.NOW);
        fx.sink.room(SLOW, 0);
        fx.publish("a", 10);   // retains 6..10
        fx.pass();
        fx.publish("a", 3);    // retains 9..13

        fx.sink.unlimited(SLOW);
        fx.drain();

        assertThat(fx.sink.log(SLOW, 1)).containsExactly("loss a 1-8", "a#9", "a#10", "a#11", "a#12", "a#13");
    }

    @Test
    void shouldNotLetASlowSubscriberHoldBackAFastOne() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(100, 64));
        fx.subscribe(SLOW, 1, "", StreamStart.NOW);
        fx.subscribe(FAST, 1, "", StreamStart.NOW);
        fx.sink.room(SLOW, 0);

        for (int i = 0; i < 5_000; i++) {
            fx.publish(i % 2 == 0 ? "a" : "b");
            if (i % 100 == 0) {
                fx.pass();
            }
        }

        assertThat(fx.sink.items(FAST, 1)).hasSize(5_000);
        assertThat(fx.sink.seqs(FAST, 1, "a")).containsExactlyElementsOf(range(1, 2_500));
        assertThat(fx.sink.items(SLOW, 1)).isEmpty();
        assertThat(fx.core.stats().lagging()).isEqualTo(1);

        fx.sink.unlimited(SLOW);
        fx.drain();
        assertThat(fx.sink.losses(SLOW, 1)).extracting(Loss::toString)
                .containsExactlyInAnyOrder("loss a 1-2400", "loss b 1-2400");
        assertThat(fx.sink.seqs(SLOW, 1, "b")).containsExactlyElementsOf(range(2_401, 2_500));
    }

    @Test
    void shouldCancelADisconnectPolicySubscriptionOnItsFirstRefusedSend() {
        StreamFixture fx = new StreamFixture();
        fx.core.subscribe(SLOW, 7, "a", StreamStart.NOW, 0, SlowPolicy.DISCONNECT, Map.of());
        fx.subscribe(FAST, 1, "a", StreamStart.NOW);
        fx.publish("a", 2);
        fx.sink.room(SLOW, 0);

        fx.publish("a", 3);

        assertThat(fx.sink.unsubscribed).singleElement()
                .isEqualTo(new FakeEventSink.Unsubscribed(SLOW, 7, "too slow: the subscriber's queue is full"));
        assertThat(fx.sink.log(SLOW, 7)).containsExactly("a#1", "a#2");
        assertThat(fx.sink.seqs(FAST, 1, "a")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(fx.core.hasBacklog()).isFalse();
        assertThat(fx.core.stats().subscriptions()).isEqualTo(1);
        assertThat(fx.core.stats().slowDisconnects()).isEqualTo(1);

        fx.sink.unlimited(SLOW);
        fx.publish("a");
        assertThat(fx.sink.log(SLOW, 7)).hasSize(2);
    }

    @Test
    void shouldCancelADisconnectPolicySubscriptionThatCannotTakeItsHistory() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(1_000, 100));
        fx.publish("a", 50);
        fx.sink.room(SLOW, 10);

        fx.core.subscribe(SLOW, 1, "", StreamStart.FIRST, 0, SlowPolicy.DISCONNECT, Map.of());
        fx.drain();

        assertThat(fx.sink.seqs(SLOW, 1, "a")).containsExactlyElementsOf(range(1, 10));
        assertThat(fx.sink.unsubscribed).extracting(FakeEventSink.Unsubscribed::reason)
                .containsExactly(StreamCore.TOO_SLOW);
    }

    @Test
    void shouldShareEachCatchUpPassFairlyWithinItsBatch() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(10_000, 30));
        PeerId[] peers = {peer("p1"), peer("p2"), peer("p3")};
        fx.publish("a", 1_000);
        for (PeerId p : peers) {
            fx.subscribe(p, 1, "a", StreamStart.FIRST);
        }

        fx.pass();

        for (PeerId p : peers) {
            assertThat(fx.sink.items(p, 1)).hasSize(10);
        }
        fx.sink.room(peers[0], 0);
        fx.pass();
        assertThat(fx.sink.items(peers[0], 1)).hasSize(10);
        // the blocked one's share goes to the others; its refused send counts against the batch
        assertThat(fx.sink.items(peers[1], 1)).hasSizeGreaterThanOrEqualTo(24);
        assertThat(fx.sink.items(peers[2], 1)).hasSizeGreaterThanOrEqualTo(24);
        assertThat(fx.sink.items(peers[1], 1).size() + fx.sink.items(peers[2], 1).size()).isEqualTo(20 + 29);
    }

    @Test
    void shouldWakeTheLoopOnlyForAgeChecksWhenNothingLags() {
        StreamFixture fx = new StreamFixture();
        fx.subscribe(FAST, 1, "", StreamStart.NOW);
        fx.publish("a", 3);

        long next = fx.pass();

        assertThat(fx.core.hasBacklog()).isFalse();
        assertThat(next).isGreaterThan(fx.loopMillis).isLessThanOrEqualTo(fx.loopMillis + 1_000);
    }
}
