package io.courier.broker.queue;

import static io.courier.broker.queue.QueueFixture.body;
import static io.courier.broker.queue.QueueFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.queue.EnqueueResult.Outcome;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.courier.protocol.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random interleavings of enqueues (with duplicate producer ids, per-message ttls and full queues), deliveries
 * refused at random, acks, nacks of every kind, ack timeouts, ttl expiry by both policies, consumer churn, gone
 * peers, replays and purges. After every step, every accepted message is exactly one of: held by a queue (ready,
 * delayed or in flight; in a dead-letter queue when dead-lettered), acked, or dropped by policy; none is held twice;
 * the journal's model of the store holds exactly what the core holds; and the counters add up. At the end a
 * restore from the journal rebuilds the same queues, and a drain acks or drops every message ever accepted.
 */
@Timeout(60)
class QueueCorePropertyTest {
    private static final int STEPS = 3_000;
    private static final String[] QUEUES = {"jobs", "jobs", "events", "jobs.dlq"};
    private static final String[] PEERS = {"pa", "pb", "pc"};
    private static final long DEDUP_WINDOW = 500;
    private static final int MAX_MESSAGES = 25;

    /** Where the test last saw a message: its queue, state and latest delivery. */
    private record Seen(String queue, long seq, DeliveryState state, int deliveries) {
    }

    /** A producer id's accepted message: its queue, seq and when. */
    private record Produced(long seq, long atWallMillis) {
    }

    /** The core logs each timeout and dead letter at DEBUG: thousands of lines here, so this test runs at INFO. */
    private static final Logger QUEUE_LOG = (Logger) LoggerFactory.getLogger("io.courier.broker.queue");
    private static Level levelBefore;

    private final Set<String> accepted = new HashSet<>();
    private final Set<String> acked = new HashSet<>();
    private final Map<String, Produced> producerIds = new HashMap<>();
    private final Map<String, FakeDeliverySink.Sent> latest = new HashMap<>();
    private final List<FakeDeliverySink.Sent> outstanding = new ArrayList<>();
    private final Set<String> dropped = new HashSet<>();
    /** The queue of each consumer attached at the last check. */
    private final Map<ConsumerKey, String> consumerQueue = new HashMap<>();
    private final Set<ConsumerKey> servedNow = new HashSet<>();
    private Map<String, Seen> seen = Map.of();
    private int nextBody;
    private int sinkRead;
    private int droppedRead;

    @BeforeAll
    static void quiet() {
        levelBefore = QUEUE_LOG.getLevel();
        QUEUE_LOG.setLevel(Level.INFO);
    }

    @AfterAll
    static void restoreLogLevel() {
        QUEUE_LOG.setLevel(levelBefore);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1_234, 99_999, 7_777_777})
    void shouldKeepEveryAcceptedMessageInExactlyOnePlace(long seed) {
        Random random = new Random(seed);
        QueueFixture fx = new QueueFixture(settings());
        fx.core.declare("events", settings().withMaxMessages(15).withTtl(Duration.ofMillis(300))
                .withExpiredPolicy(ExpiredPolicy.DROP));
        fx.sink.refuseAtRandom(random, 0.05);
        for (int step = 0; step < STEPS; step++) {
            act(fx, random);
            check(fx);
        }
        assertThat(accepted).hasSizeGreaterThan(400);
        assertThat(fx.journal.dropped).as("drops").isNotEmpty();
        assertThat(fx.core.status().queues()).filteredOn(v -> v.name().endsWith(".dlq"))
                .anySatisfy(v -> assertThat(v.enqueued()).isPositive());
        assertThat(fx.sink.refusals).isPositive();
        checkRestore(fx);
        drain(fx);
    }

    private void act(QueueFixture fx, Random random) {
        int dice = random.nextInt(1_000);
        if (dice < 330) {
            enqueue(fx, random);
        } else if (dice < 520) {
            settle(fx, random, true);
        } else if (dice < 600) {
            settle(fx, random, false);
        } else if (dice < 720) {
            fx.advanceAndRunTimers(random.nextInt(120));
        } else if (dice < 800) {
            fx.core.attach(key(random), QUEUES[random.nextInt(QUEUES.length)], 1 + random.nextInt(4));
        } else if (dice < 840) {
            fx.core.detach(key(random));
        } else if (dice < 850) {
            fx.core.onPeerGone(peer(PEERS[random.nextInt(PEERS.length)]));
        } else if (dice < 870) {
            fx.core.replay("jobs.dlq", random.nextInt(6));
        } else if (dice < 873) {
            fx.core.purge(QUEUES[random.nextInt(QUEUES.length)]);
        } else if (dice < 940) {
            ConsumerKey k = key(random);
            if (random.nextBoolean()) {
                fx.sink.room(k, random.nextInt(3));
            } else {
                fx.sink.unlimited(k);
            }
        } else {
            fx.runTimers();
        }
        readSink(fx);
    }

    private void enqueue(QueueFixture fx, Random random) {
        String queue = random.nextInt(3) == 0 ? "events" : "jobs";
        String id = "m" + nextBody++;
        String producerId = random.nextInt(3) == 0 ? null : queue + "/p" + random.nextInt(40);
        Duration ttl = random.nextInt(4) == 0 ? Duration.ofMillis(50 + random.nextInt(400)) : Duration.ZERO;
        EnqueueResult result = fx.core.enqueue(queue, producerId, Headers.EMPTY, body(id), ttl);
        Produced before = producerId == null ? null : producerIds.get(producerId);
        boolean inWindow = before != null && fx.wallMillis - before.atWallMillis() < DEDUP_WINDOW;
        if (result.outcome() == Outcome.DUPLICATE) {
            assertThat(inWindow).as("duplicate of %s only within the window", producerId).isTrue();
            assertThat(result.seq()).isEqualTo(before.seq());
            return;
        }
        assertThat(inWindow).as("%s within the window is a duplicate", producerId).isFalse();
        if (result.outcome() == Outcome.FULL) {
            QueueStatus.QueueView view = view(fx, queue);
            assertThat(view.depth() + view.unacked()).isGreaterThanOrEqualTo(queue.equals("jobs") ? MAX_MESSAGES : 15);
            return;
        }
        accepted.add(id);
        if (producerId != null) {
            producerIds.put(producerId, new Produced(result.seq(), fx.wallMillis));
        }
    }

    /** Acks or nacks a delivery the test has not settled yet; checks the answer against the last check. */
    private void settle(QueueFixture fx, Random random, boolean ack) {
        if (outstanding.isEmpty()) {
            return;
        }
        FakeDeliverySink.Sent s = outstanding.remove(random.nextInt(outstanding.size()));
        String id = s.text();
        Seen before = seen.get(id);
        boolean holds = before != null && before.state() == DeliveryState.IN_FLIGHT && latest.get(id) == s
                && s.delivery().queue().equals(consumerQueue.get(s.consumer()));
        boolean done;
        if (ack) {
            done = fx.core.ack(s.consumer(), s.delivery().tag());
            if (done) {
                acked.add(id);
            }
        } else {
            int kind = random.nextInt(3);
            Duration delay = kind == 2 ? Duration.ofMillis(1 + random.nextInt(200)) : Duration.ZERO;
            done = fx.core.nack(s.consumer(), s.delivery().tag(), kind > 0, delay);
        }
        assertThat(done).as("settling %s tag %d", id, s.delivery().tag()).isEqualTo(holds);
    }

    private void readSink(QueueFixture fx) {
        for (; sinkRead < fx.sink.sent.size(); sinkRead++) {
            FakeDeliverySink.Sent s = fx.sink.sent.get(sinkRead);
            latest.put(s.text(), s);
            outstanding.add(s);
            servedNow.add(s.consumer());
        }
    }

    /** The books: each accepted message in exactly one place, the journal's store equal to the core's queues. */
    private void check(QueueFixture fx) {
        QueueStatus status = fx.core.status();
        Map<String, Seen> now = new HashMap<>();
        consumerQueue.clear();
        for (QueueStatus.ConsumerView c : status.consumers()) {
            if (servedNow.contains(c.key())) {
                assertThat(c.unacked()).as("unacked of %s just served", c.key()).isLessThanOrEqualTo(c.prefetch());
            }
            consumerQueue.put(c.key(), c.queue());
        }
        servedNow.clear();
        for (QueueStatus.QueueView view : status.queues()) {
            List<MessageSnapshot> held = fx.core.list(view.name(), Integer.MAX_VALUE);
            assertThat(held).hasSize(view.depth() + view.unacked());
            assertThat(held.stream().filter(m -> m.state() == DeliveryState.IN_FLIGHT).count())
                    .isEqualTo(view.unacked());
            assertThat(status.consumers().stream().filter(c -> c.queue().equals(view.name()))
                    .mapToInt(QueueStatus.ConsumerView::unacked).sum()).isEqualTo(view.unacked());
            assertThat(view.enqueued()).as("books of %s", view.name()).isEqualTo(held.size() + view.acked()
                    + view.deadLettered() + view.dropped() + view.replayed());
            for (MessageSnapshot m : held) {
                String id = QueueFixture.text(m.body());
                Seen old = now.put(id, new Seen(view.name(), m.seq(), m.state(), m.deliveries()));
                assertThat(old).as("%s held twice", id).isNull();
                if (m.state() == DeliveryState.IN_FLIGHT) {
                    FakeDeliverySink.Sent s = latest.get(id);
                    assertThat(consumerQueue.get(s.consumer())).as("%s with a live consumer", id)
                            .isEqualTo(view.name());
                    assertThat(s.delivery().deliveries()).isEqualTo(m.deliveries());
                }
            }
            assertThat(fx.journal.stored(view.name()).stream().map(m -> m.seq() + ":" + m.deliveries()).toList())
                    .as("store of %s", view.name())
                    .isEqualTo(held.stream().map(m -> m.seq() + ":" + m.deliveries()).toList());
        }
        for (; droppedRead < fx.journal.dropped.size(); droppedRead++) {
            String id = QueueFixture.text(fx.journal.dropped.get(droppedRead).message().body());
            assertThat(dropped.add(id)).as("%s dropped twice", id).isTrue();
        }
        for (String id : now.keySet()) {   // plain set lookups: AssertJ's contains would scan
            assertThat(accepted.contains(id)).as("held %s was accepted", id).isTrue();
        }
        for (String id : acked) {
            assertThat(now.containsKey(id) || dropped.contains(id)).as("acked %s held or dropped", id).isFalse();
        }
        for (String id : dropped) {
            assertThat(now.containsKey(id)).as("dropped %s still held", id).isFalse();
        }
        assertThat(now.size() + acked.size() + dropped.size()).as("none lost").isEqualTo(accepted.size());
        seen = now;
    }

    /** A restore from what the journal recorded rebuilds every queue: same seqs in order, all ready, same counts. */
    private static void checkRestore(QueueFixture fx) {
        QueueFixture after = new QueueFixture(settings());
        for (QueueStatus.QueueView view : fx.core.status().queues()) {
            after.restore(view.name(), fx.journal.stored(view.name()));
            List<MessageSnapshot> before = fx.core.list(view.name(), Integer.MAX_VALUE);
            List<MessageSnapshot> restored = after.core.list(view.name(), Integer.MAX_VALUE);
            assertThat(restored).extracting(MessageSnapshot::seq).containsExactlyElementsOf(
                    before.stream().map(MessageSnapshot::seq).toList());
            assertThat(restored).extracting(MessageSnapshot::deliveries).containsExactlyElementsOf(
                    before.stream().map(MessageSnapshot::deliveries).toList());
            assertThat(restored).allMatch(m -> m.state() == DeliveryState.READY, "ready");
        }
    }

    /** Every consumer leaves; one per queue acks all until nothing is held: every accepted one is acked or dropped. */
    private void drain(QueueFixture fx) {
        for (String p : PEERS) {
            fx.core.onPeerGone(peer(p));
        }
        fx.sink.unlimitedForAll();
        for (int round = 0; round < 1_000; round++) {
            for (QueueStatus.QueueView view : fx.core.status().queues()) {
                fx.core.attach(new ConsumerKey(peer("drain"), view.name().hashCode()), view.name(), 1_000);
            }
            readSink(fx);
            for (FakeDeliverySink.Sent s : new ArrayList<>(outstanding)) {
                if (fx.core.ack(s.consumer(), s.delivery().tag())) {
                    acked.add(s.text());
                }
            }
            outstanding.clear();
            check(fx);
            if (seen.isEmpty()) {
                break;
            }
            fx.advanceAndRunTimers(100);
            readSink(fx);
        }
        assertThat(seen).as("held after the drain").isEmpty();
        assertThat(fx.runTimers()).isEqualTo(Long.MAX_VALUE);
    }

    private static ConsumerKey key(Random random) {
        return new ConsumerKey(peer(PEERS[random.nextInt(PEERS.length)]), random.nextInt(2));
    }

    private static QueueStatus.QueueView view(QueueFixture fx, String queue) {
        return fx.core.status().queues().stream().filter(v -> v.name().equals(queue)).findFirst().orElseThrow();
    }

    private static QueueSettings settings() {
        return QueueSettings.defaults().withMaxMessages(MAX_MESSAGES).withAckTimeout(Duration.ofMillis(200))
                .withMaxDeliver(3).withDedupWindow(Duration.ofMillis(DEDUP_WINDOW));
    }
}
