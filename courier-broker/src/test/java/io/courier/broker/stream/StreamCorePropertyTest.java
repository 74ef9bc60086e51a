package io.courier.broker.stream;

import static io.courier.broker.stream.StreamFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.courier.broker.stream.FakeEventSink.Event;
import io.courier.broker.stream.FakeEventSink.Item;
import io.courier.broker.stream.FakeEventSink.Loss;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.StreamStart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random mixes of publishes (some refused by the stream limit), subscriptions with every start, full queues,
 * random refusals, age eviction, unsubscribes and catch-up passes. Whatever happens, each subscription gets, per
 * stream, every seq from its start exactly once, as an EVENT or inside a LOSS range, in increasing order; and once
 * the queues drain, it has everything up to the head.
 */
@Timeout(10)
class StreamCorePropertyTest {
    private static final String[] TOPICS = {"a", "b.x", "b.y", "c", "d"};   // maxStreams 4: one is refused
    private static final String[] PREFIXES = {"", "b.", "a", "c", "b.y", "d"};
    private static final StreamStart[] STARTS = {StreamStart.NOW, StreamStart.FIRST, StreamStart.LAST, StreamStart.SEQ};
    private static final int STEPS = 20_000;

    /** One subscription under test, and where it must start on each stream. */
    private record Sub(PeerId peer, long id, String prefix, StreamStart start, long seq, Map<String, Long> startOn,
                       boolean[] closed) {
        long expectedStart(String topic) {
            Long known = startOn.get(topic);
            if (known != null) {
                return known;
            }
            return start == StreamStart.SEQ ? Math.max(1, seq) : 1;   // a stream created after SUBSCRIBE
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1_234, 99_999, 7_777_777})
    void shouldDeliverEverySeqExactlyOnceAsEventOrLossInOrder(long seed) {
        Random random = new Random(seed);
        StreamFixture fx = new StreamFixture(new StreamSettings(20, 1L << 20, Duration.ofSeconds(2), 4, 8));
        PeerId[] peers = {peer("p0"), peer("p1"), peer("p2"), peer("p3")};
        fx.sink.refuseAtRandom(random, 0.05);
        List<Sub> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subs.add(subscribe(fx, random, peers, subs.size() + 1));
        }
        long refused = 0;
        for (int step = 0; step < STEPS; step++) {
            int dice = random.nextInt(1_000);
            if (dice < 600) {
                refused += fx.publish(TOPICS[random.nextInt(TOPICS.length)]) == StreamCore.REFUSED ? 1 : 0;
            } else if (dice < 850) {
                fx.pass();
            } else if (dice < 950) {
                PeerId p = peers[random.nextInt(peers.length)];
                if (random.nextBoolean()) {
                    fx.sink.room(p, random.nextInt(20));
                } else {
                    fx.sink.unlimited(p);
                }
            } else if (dice < 985) {
                fx.advanceMillis(random.nextInt(50));
            } else if (dice < 995) {
                subs.add(subscribe(fx, random, peers, subs.size() + 1));
            } else {
                Sub sub = subs.get(random.nextInt(subs.size()));
                if (!sub.closed()[0]) {
                    fx.core.unsubscribe(sub.peer(), sub.id());
                    sub.closed()[0] = true;
                    if (random.nextBoolean()) {   // the client comes back where it left off
                        subs.add(resume(fx, sub, subs.size() + 1));
                    }
                }
            }
        }
        fx.sink.unlimitedForAll();
        fx.drain();

        assertThat(refused).as("publishes refused by maxStreams").isPositive();
        assertThat(fx.core.heads("")).hasSize(4);
        assertThat(fx.sink.refusals).as("sends refused").isPositive();
        long losses = 0;
        for (Sub sub : subs) {
            losses += check(fx, sub);
        }
        assertThat(losses).as("LOSS messages seen").isPositive();
    }

    private static Sub subscribe(StreamFixture fx, Random random, PeerId[] peers, long id) {
        PeerId p = peers[random.nextInt(peers.length)];
        String prefix = PREFIXES[random.nextInt(PREFIXES.length)];
        StreamStart start = STARTS[random.nextInt(STARTS.length)];
        long seq = 1 + random.nextInt(60);
        Map<String, Long> startOn = new HashMap<>();
        for (StreamStatus.StreamView s : fx.core.status().streams()) {
            if (s.name().startsWith(prefix)) {
                startOn.put(s.name(), switch (start) {
                    case NOW -> s.headSeq() + 1;
                    case FIRST -> s.firstSeq();
                    case LAST -> s.retained() > 0 ? s.headSeq() : s.headSeq() + 1;
                    default -> seq;
                });
            }
        }
        fx.subscribe(p, id, prefix, start, start == StreamStart.SEQ ? seq : 0);
        return new Sub(p, id, prefix, start, seq, startOn, new boolean[1]);
    }

    /** Resubscribes {@code old}'s peer and prefix with a resume map: for each stream, the seq after the last seen. */
    private static Sub resume(StreamFixture fx, Sub old, long id) {
        Map<String, Long> resume = new HashMap<>();
        for (Item item : fx.sink.items(old.peer(), old.id())) {
            resume.put(item.topic(), item instanceof Loss loss ? loss.toSeq() + 1 : ((Event) item).seq() + 1);
        }
        Map<String, Long> startOn = new HashMap<>(resume);
        fx.core.heads(old.prefix()).forEach((topic, head) -> startOn.putIfAbsent(topic, head + 1));
        fx.core.subscribe(old.peer(), id, old.prefix(), StreamStart.NOW, 0, SlowPolicy.LAG, resume);
        return new Sub(old.peer(), id, old.prefix(), StreamStart.NOW, 0, startOn, new boolean[1]);
    }

    /**
     * Checks one subscription's record; returns how many LOSSes it holds. Plain comparisons per item (AssertJ per
     * item would dominate the run time), with a message naming the item when one is wrong.
     */
    private static int check(StreamFixture fx, Sub sub) {
        Map<String, Long> next = new HashMap<>();
        int losses = 0;
        List<Item> items = fx.sink.items(sub.peer(), sub.id());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String topic = item.topic();
            long expected = next.computeIfAbsent(topic, sub::expectedStart);
            boolean ok;
            if (item instanceof Event e) {
                ok = e.seq() == expected && e.text().equals(topic + "#" + e.seq());
                next.put(topic, expected + 1);
            } else {
                Loss loss = (Loss) item;
                ok = loss.fromSeq() == expected && loss.toSeq() >= loss.fromSeq();
                next.put(topic, loss.toSeq() + 1);
                losses++;
            }
            if (!ok || !topic.startsWith(sub.prefix())) {
                fail("item " + i + " of " + sub + " is " + item + ", expected seq " + expected + " of a matching topic;"
                        + " received: " + items.subList(Math.max(0, i - 5), i + 1));
            }
        }
        if (!sub.closed()[0]) {
            fx.core.heads(sub.prefix()).forEach((topic, head) -> {
                long reached = next.getOrDefault(topic, sub.expectedStart(topic));
                assertThat(reached).as("where %s got to on %s, head %s", sub, topic, head)
                        .isEqualTo(Math.max(head + 1, sub.expectedStart(topic)));
            });
        }
        return losses;
    }
}
