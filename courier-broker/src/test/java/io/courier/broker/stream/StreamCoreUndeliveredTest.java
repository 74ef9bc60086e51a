package io.courier.broker.stream;

import static io.courier.broker.stream.StreamCoreStartTest.range;
import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sink that batches accepts events and sends them later, all or nothing: {@link StreamCore#onUndelivered}
 * keeps the guarantees of 9.10 when a batch is refused. Every seq reaches each subscription once, in order, as an
 * event or inside a LOSS; LAG subscriptions catch up from the first seq not sent, DISCONNECT ones end.
 */
@Timeout(20)
class StreamCoreUndeliveredTest {
    private static final PeerId SUB = peer("sub");
    private static final PeerId OTHER = peer("other");

    private final BatchingTestSink sink = new BatchingTestSink();
    private long wallMillis = 1_700_000_000_000L;
    private long loopMillis = 1_000;

    private StreamCore core(int maxMessages, int catchUpBatch) {
        return new StreamCore(StreamFixture.settings(maxMessages, catchUpBatch), sink, StreamMetrics.NONE,
                () -> wallMillis);
    }

    private static void publish(StreamCore core, String topic, int count) {
        for (int i = 0; i < count; i++) {
            core.publish(topic, Headers.EMPTY, StreamFixture.body(topic));
        }
    }

    /** Loop passes with room, until nothing lags. */
    private void drain(StreamCore core) {
        sink.full.clear();
        for (int i = 0; i < 10_000 && core.hasBacklog(); i++) {
            core.onTimers(loopMillis++);
            sink.flush(core);
        }
        assertThat(core.hasBacklog()).isFalse();
    }

    @Test
    void shouldLagALiveSubscriptionFromTheFirstSeqOfARefusedBatch() {
        StreamCore core = core(1_000, 100);
        core.subscribe(SUB, 1, "a", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of());
        core.subscribe(OTHER, 1, "a", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of());
        publish(core, "a", 3);
        sink.flush(core);                       // 1..3 delivered
        publish(core, "a", 5);                  // 4..8 accepted into the batch
        sink.full.put(SUB, true);
        sink.flush(core);                       // refused: nothing of 4..8 left
        assertThat(core.hasBacklog()).isTrue();
        assertThat(sink.seqs(SUB, 1, "a")).containsExactlyElementsOf(range(1, 3));
        publish(core, "a", 2);                  // 9, 10: lagging, so kept for the catch-up

        drain(core);
        publish(core, "a", 1);                  // live again
        sink.flush(core);
        assertThat(sink.seqs(SUB, 1, "a")).containsExactlyElementsOf(range(1, 11));
        assertThat(sink.seqs(OTHER, 1, "a")).as("the other subscriber is not slowed")
                .containsExactlyElementsOf(range(1, 11));
    }

    @Test
    void shouldRewindACatchingUpCursorToTheFirstSeqRefused() {
        StreamCore core = core(1_000, 4);
        publish(core, "a", 10);
        core.subscribe(SUB, 1, "a", StreamStart.FIRST, 0, SlowPolicy.LAG, Map.of());
        core.onTimers(loopMillis++);            // 1..4 into the batch
        sink.flush(core);
        core.onTimers(loopMillis++);            // 5..8 into the batch
        sink.full.put(SUB, true);
        sink.flush(core);                       // refused: the cursor goes back to 5

        drain(core);
        publish(core, "a", 2);
        sink.flush(core);
        assertThat(sink.seqs(SUB, 1, "a")).containsExactlyElementsOf(range(1, 12));
    }

    @Test
    void shouldEndADisconnectPolicySubscriptionWhoseBatchIsRefused() {
        StreamCore core = core(1_000, 100);
        core.subscribe(SUB, 1, "a", StreamStart.NOW, 0, SlowPolicy.DISCONNECT, Map.of());
        publish(core, "a", 3);
        sink.full.put(SUB, true);
        sink.flush(core);
        assertThat(sink.wasUnsubscribed(SUB, 1)).isTrue();
        assertThat(core.status().subscriptions()).isEmpty();
    }

    @Test
    void shouldSendARefusedReplayAnswerAgain() {
        StreamCore core = core(1_000, 100);
        core.subscribe(SUB, 1, "a", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of());
        publish(core, "a", 10);
        sink.flush(core);
        core.replay(SUB, 1, "a", 3, 5);
        core.onTimers(loopMillis++);
        sink.full.put(SUB, true);
        sink.flush(core);                       // the replay answer 3..5 is refused
        drain(core);
        assertThat(sink.seqs(SUB, 1, "a")).containsExactlyElementsOf(concat(range(1, 10), range(3, 5)));
    }

    @Test
    void shouldDeliverEverySeqOnceInOrderOrInALossUnderRandomRefusals() {
        for (long seed = 1; seed <= 40; seed++) {
            checkRandomRun(new Random(seed), seed % 2 == 0 ? 50 : 100_000);
        }
    }

    private void checkRandomRun(Random random, int maxMessages) {
        BatchingTestSink local = new BatchingTestSink();
        StreamCore core = new StreamCore(StreamFixture.settings(maxMessages, 1 + random.nextInt(64)), local,
                StreamMetrics.NONE, () -> wallMillis);
        String[] topics = {"a.1", "a.2", "b"};
        PeerId[] peers = {peer("p0"), peer("p1"), peer("p2")};
        publish(core, "a.1", random.nextInt(20));
        core.subscribe(peers[0], 1, "a.", StreamStart.FIRST, 0, SlowPolicy.LAG, Map.of());
        core.subscribe(peers[1], 2, "", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of());
        core.subscribe(peers[2], 3, "a.2", StreamStart.NOW, 0, SlowPolicy.LAG, Map.of());
        long[] subscribedHeads = {0, core.heads("").getOrDefault("a.1", 0L), 0};
        for (int pass = 0; pass < 200; pass++) {
            int publishes = random.nextInt(40);
            for (int i = 0; i < publishes; i++) {
                publish(core, topics[random.nextInt(topics.length)], 1);
            }
            core.onTimers(loopMillis++);
            for (PeerId p : peers) {
                local.full.put(p, random.nextInt(3) == 0);
            }
            local.flush(core);
        }
        local.full.clear();
        for (int i = 0; i < 10_000 && core.hasBacklog(); i++) {
            core.onTimers(loopMillis++);
            local.flush(core);
        }
        assertThat(core.hasBacklog()).isFalse();
        Map<String, Long> heads = core.heads("");
        checkComplete(local.items(peers[0], 1), "a.1", 1, heads.get("a.1"));
        checkComplete(local.items(peers[0], 1), "a.2", 1, heads.getOrDefault("a.2", 0L));
        checkComplete(local.items(peers[1], 2), "a.1", subscribedHeads[1] + 1, heads.get("a.1"));
        checkComplete(local.items(peers[1], 2), "b", 1, heads.getOrDefault("b", 0L));
        checkComplete(local.items(peers[2], 3), "a.2", 1, heads.getOrDefault("a.2", 0L));
    }

    /** Each seq from {@code from} to {@code head} exactly once, increasing, as an event or inside a loss. */
    private static void checkComplete(List<FakeEventSink.Item> items, String topic, long from, Long head) {
        long next = from;
        for (FakeEventSink.Item item : items) {
            if (!item.topic().equals(topic)) {
                continue;
            }
            if (item instanceof FakeEventSink.Event e) {
                assertThat(e.seq()).as("%s event after %d", topic, next - 1).isEqualTo(next);
                next++;
            } else if (item instanceof FakeEventSink.Loss l) {
                assertThat(l.fromSeq()).as("%s loss after %d", topic, next - 1).isEqualTo(next);
                next = l.toSeq() + 1;
            }
        }
        assertThat(next - 1).as("%s last seq", topic).isEqualTo(head == null ? 0 : head);
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
