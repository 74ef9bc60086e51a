package io.courier.broker.stream;

import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.StreamStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** REPLAY: EVENTs for the retained part of a range, LOSS for the rest, nothing above the head. */
@Timeout(10)
class StreamCoreReplayTest {
    private static final PeerId P = peer("p");

    private final StreamFixture fx = new StreamFixture(StreamFixture.settings(5, 100));

    @Test
    void shouldReplayTheRetainedPartAndReportTheRestLost() {
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 10);   // retains 6..10
        fx.sink.clear();

        fx.core.replay(P, 1, "a", 3, 8);
        assertThat(fx.core.hasBacklog()).isTrue();
        fx.drain();

        assertThat(fx.sink.log(P, 1)).containsExactly("loss a 3-5", "a#6", "a#7", "a#8");
        assertThat(fx.sink.losses(P, 1).get(0).reason()).isEqualTo(StreamCore.NOT_RETAINED);
    }

    @Test
    void shouldIgnoreThePartOfTheRangeAboveTheHead() {
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 10);
        fx.sink.clear();

        fx.core.replay(P, 1, "a", 9, 500);
        fx.drain();
        fx.core.replay(P, 1, "a", 11, 20);
        fx.core.replay(P, 1, "a", 2, 1);

        assertThat(fx.core.hasBacklog()).isFalse();
        assertThat(fx.sink.log(P, 1)).containsExactly("a#9", "a#10");
    }

    @Test
    void shouldReplayOnlyLossForARangeWhollyEvicted() {
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 10);
        fx.sink.clear();

        fx.core.replay(P, 1, "a", 0, 3);
        fx.drain();

        assertThat(fx.sink.log(P, 1)).containsExactly("loss a 1-3");
    }

    @Test
    void shouldKeepLiveDeliveryGoingWhileAReplayWaitsForRoom() {
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 4);
        fx.sink.clear();
        fx.core.replay(P, 1, "a", 2, 3);
        fx.sink.room(P, 0);
        fx.pass();

        fx.sink.unlimited(P);
        fx.publish("a");
        fx.drain();

        assertThat(fx.sink.log(P, 1)).containsExactly("a#5", "a#2", "a#3");
    }

    @Test
    void shouldIgnoreReplaysForUnknownSubscriptionsStreamsOrUnmatchedTopics() {
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 3);
        fx.publish("b", 3);
        fx.sink.clear();

        fx.core.replay(P, 2, "a", 1, 3);
        fx.core.replay(peer("q"), 1, "a", 1, 3);
        fx.core.replay(P, 1, "b", 1, 3);
        fx.core.replay(P, 1, "a.none", 1, 3);

        assertThat(fx.core.hasBacklog()).isFalse();
        assertThat(fx.sink.log(P, 1)).isEmpty();
    }

    @Test
    void shouldAnswerReplaysPastTheLimitWithALoss() {
        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 10);
        fx.sink.clear();

        for (int i = 0; i < StreamCore.MAX_REPLAYS + 1; i++) {
            fx.core.replay(P, 1, "a", 10, 10);
        }

        assertThat(fx.sink.losses(P, 1)).singleElement()
                .satisfies(l -> assertThat(l.reason()).isEqualTo(StreamCore.TOO_MANY_REPLAYS));
        fx.drain();
        assertThat(fx.sink.seqs(P, 1, "a")).hasSize(StreamCore.MAX_REPLAYS);
    }
}
