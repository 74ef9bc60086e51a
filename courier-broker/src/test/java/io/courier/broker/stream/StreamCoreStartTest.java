package io.courier.broker.stream;

import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where subscriptions start: NOW, FIRST, LAST, SEQ, TIME, the resume map, and replay-then-live. */
@Timeout(10)
class StreamCoreStartTest {
    private static final PeerId P = peer("p");

    private final StreamFixture fx = new StreamFixture(StreamFixture.settings(1_000, 4));

    @Test
    void shouldNumberEachStreamOnItsOwn() {
        assertThat(fx.core.publish("a", Headers.EMPTY, StreamFixture.body("x"))).isEqualTo(1);
        assertThat(fx.publish("b")).isEqualTo(1);
        assertThat(fx.publish("a")).isEqualTo(2);
        assertThat(fx.publish("a")).isEqualTo(3);
        assertThat(fx.publish("b")).isEqualTo(2);

        assertThat(fx.core.heads("")).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3L, "b", 2L));
    }

    @Test
    void shouldSendOnlyNewMessagesFromNow() {
        fx.publish("a", 3);

        fx.subscribe(P, 1, "a", StreamStart.NOW);
        fx.publish("a", 2);

        assertThat(fx.core.hasBacklog()).isFalse();
        assertThat(fx.sink.log(P, 1)).containsExactly("a#4", "a#5");
        assertThat(fx.sink.subscribed).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(1);
            assertThat(s.heads()).isEqualTo(Map.of("a", 3L));
        });
    }

    @Test
    void shouldMatchTopicsByStringPrefix() {
        fx.publish("prices.eur");
        fx.publish("prices.usd");
        fx.publish("pricey");
        fx.publish("news");

        fx.subscribe(P, 1, "prices.", StreamStart.NOW);
        fx.subscribe(P, 2, "", StreamStart.NOW);
        fx.publish("prices.eur");
        fx.publish("pricey");
        fx.publish("prices.gbp");

        assertThat(fx.sink.log(P, 1)).containsExactly("prices.eur#2", "prices.gbp#1");
        assertThat(fx.sink.log(P, 2)).containsExactly("prices.eur#2", "pricey#2", "prices.gbp#1");
        assertThat(fx.sink.subscribed.get(0).heads()).isEqualTo(Map.of("prices.eur", 1L, "prices.usd", 1L));
    }

    @Test
    void shouldReplayEveryRetainedMessageFromFirstThenGoLive() {
        StreamFixture small = new StreamFixture(StreamFixture.settings(5, 100));
        small.publish("a", 8);
        small.publish("b", 2);

        small.subscribe(P, 1, "", StreamStart.FIRST);
        assertThat(small.sink.log(P, 1)).isEmpty();   // history comes with the catch-up passes
        small.drain();
        small.publish("a");

        assertThat(small.sink.seqs(P, 1, "a")).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(small.sink.seqs(P, 1, "b")).containsExactly(1L, 2L);
        assertThat(small.sink.losses(P, 1)).isEmpty();
    }

    @Test
    void shouldServeTheLastValueOfEachStream() {
        fx.publish("price.eur", 3);
        fx.publish("price.usd", 1);
        fx.publish("price.gbp", 7);
        fx.publish("other", 2);

        fx.subscribe(P, 1, "price.", StreamStart.LAST);
        fx.drain();

        assertThat(fx.sink.log(P, 1)).containsExactlyInAnyOrder("price.eur#3", "price.usd#1", "price.gbp#7");
        assertThat(fx.sink.items(P, 1)).allSatisfy(i -> assertThat(((FakeEventSink.Event) i).text())
                .isEqualTo(i.toString()));

        fx.publish("price.usd");
        assertThat(fx.sink.log(P, 1)).last().isEqualTo("price.usd#2");
        assertThat(fx.sink.log(P, 1)).hasSize(4);
    }

    @Test
    void shouldSendNothingForLastWhenTheStreamRetainsNothing() {
        StreamFixture aging = new StreamFixture(StreamFixture.settings(1_000, 10)
                .withMaxAge(Duration.ofSeconds(1)));
        aging.publish("a", 3);
        aging.advanceMillis(5_000);
        aging.pass();

        aging.subscribe(P, 1, "", StreamStart.LAST);
        aging.drain();
        aging.publish("a");

        assertThat(aging.sink.log(P, 1)).containsExactly("a#4");
    }

    @Test
    void shouldStartAtTheGivenSeq() {
        fx.publish("a", 10);

        fx.subscribe(P, 1, "a", StreamStart.SEQ, 7);
        fx.drain();
        fx.publish("a");

        assertThat(fx.sink.seqs(P, 1, "a")).containsExactly(7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void shouldDeliverNothingUntilASeqBeyondTheHeadArrives() {
        fx.publish("a", 5);

        fx.subscribe(P, 1, "a", StreamStart.SEQ, 9);
        fx.drain();
        fx.publish("a", 3);   // 6, 7, 8
        fx.pass();

        assertThat(fx.sink.log(P, 1)).isEmpty();
        assertThat(fx.core.hasBacklog()).isFalse();

        fx.publish("a", 2);   // 9, 10

        assertThat(fx.sink.log(P, 1)).containsExactly("a#9", "a#10");
    }

    @Test
    void shouldReportAsLostTheStartSeqsNoLongerRetained() {
        StreamFixture small = new StreamFixture(StreamFixture.settings(3, 10));
        small.publish("a", 10);   // retains 8..10

        small.subscribe(P, 1, "a", StreamStart.SEQ, 2);
        small.drain();

        assertThat(small.sink.log(P, 1)).containsExactly("loss a 2-7", "a#8", "a#9", "a#10");
        assertThat(small.sink.losses(P, 1).get(0).reason()).isEqualTo(StreamCore.NOT_RETAINED);
    }

    @Test
    void shouldStartFromTheFirstMessageStampedAtOrAfterATime() {
        fx.publish("a", 2);            // stamped t0
        fx.advanceMillis(1_000);
        fx.publish("a", 2);            // stamped t0 + 1s
        fx.publish("b", 1);            // stamped t0 + 1s
        fx.advanceMillis(1_000);
        fx.publish("b", 1);            // stamped t0 + 2s

        fx.subscribe(P, 1, "", StreamStart.TIME, StreamFixture.START_WALL_MILLIS + 500);
        fx.subscribe(P, 2, "", StreamStart.TIME, StreamFixture.START_WALL_MILLIS + 1_500);
        fx.drain();

        assertThat(fx.sink.log(P, 1)).containsExactlyInAnyOrder("a#3", "a#4", "b#1", "b#2");
        assertThat(fx.sink.log(P, 2)).containsExactly("b#2");
        assertThat(fx.sink.items(P, 2).get(0)).isInstanceOfSatisfying(FakeEventSink.Event.class,
                e -> assertThat(e.timestampMillis()).isEqualTo(StreamFixture.START_WALL_MILLIS + 2_000));
    }

    @Test
    void shouldLetTheResumeMapOverrideTheStartPerStream() {
        StreamFixture small = new StreamFixture(StreamFixture.settings(4, 10));
        small.publish("a", 6);   // retains 3..6
        small.publish("b", 3);
        small.publish("c", 2);

        small.core.subscribe(P, 1, "", StreamStart.NOW, 0, SlowPolicy.LAG,
                Map.of("a", 2L, "b", 3L, "c", 3L, "d", 2L, "never.created", 1L));
        small.drain();
        small.publish("d", 3);
        small.publish("c");

        assertThat(small.sink.log(P, 1)).containsExactlyInAnyOrder("loss a 2-2", "a#3", "a#4", "a#5", "a#6",
                "b#3", "d#2", "d#3", "c#3");
        assertThat(small.sink.seqs(P, 1, "a")).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void shouldReplayThenGoLiveWithoutGapOrDuplicateWhilePublishesContinue() {
        fx.publish("a", 50);

        fx.subscribe(P, 1, "", StreamStart.FIRST);
        for (int pass = 0; pass < 5; pass++) {
            fx.pass();           // 4 per pass
            fx.publish("a", 3);  // arrives mid catch-up
        }
        fx.publish("new.stream", 2);   // a stream created while catching up
        assertThat(fx.core.hasBacklog()).isTrue();
        fx.drain();
        fx.publish("a", 5);
        fx.publish("new.stream");

        assertThat(fx.sink.seqs(P, 1, "a")).containsExactlyElementsOf(range(1, 70));
        assertThat(fx.sink.seqs(P, 1, "new.stream")).containsExactly(1L, 2L, 3L);
        assertThat(fx.sink.losses(P, 1)).isEmpty();
        assertThat(fx.core.status().subscriptions()).singleElement()
                .satisfies(s -> assertThat(s.lagging()).isFalse());
    }

    @Test
    void shouldReplaceASubscriptionThatReusesItsId() {
        fx.publish("a", 2);
        fx.subscribe(P, 1, "a", StreamStart.NOW);

        fx.subscribe(P, 1, "b", StreamStart.NOW);
        fx.publish("a");
        fx.publish("b");

        assertThat(fx.sink.log(P, 1)).containsExactly("b#1");
        assertThat(fx.core.stats().subscriptions()).isEqualTo(1);
        assertThat(fx.sink.unsubscribed).isEmpty();
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
