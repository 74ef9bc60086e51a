package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams through a real broker: sequencing, replay then live with no gap or duplicate, last value, slow ones. */
@Timeout(30)
class StreamsIT {
    @TempDir
    Path data;
    private TestBroker broker;
    private Client publisher;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        publisher = Client.connect(broker.clientConfig().withName("publisher"));
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        all.add(publisher);
        all.add(broker);
        Closeables.closeAll(all.toArray(AutoCloseable[]::new));
    }

    @Test
    void shouldDeliverConfirmedPublishesInOrderWithSequenceNumbers() throws Exception {
        Recorder live = new Recorder();
        Subscription sub = subscriber("live").subscribe("prices.", SubscribeOptions.ofNow(), live);
        sub.awaitSubscribed(ofSeconds(5));

        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            seqs.add(publisher.publish("prices.eur", Message.of("p" + i)).get(5, TimeUnit.SECONDS));
        }
        publisher.publish("other.topic", Message.of("not for us")).get(5, TimeUnit.SECONDS);

        assertThat(seqs).first().isEqualTo(1L);
        assertThat(seqs).last().isEqualTo(100L);
        await("100 events").atMost(ofSeconds(10)).until(() -> live.events.size() == 100);
        assertThat(live.events).extracting(StreamEvent::seq).containsExactlyElementsOf(seqs);
        assertThat(live.events.get(41).bodyAsString()).isEqualTo("p42");
        assertThat(live.losses).isEmpty();
    }

    @Test
    void shouldReplayHistoryToALateJoinerThenGoLiveWithoutGapOrDuplicate() throws Exception {
        for (int i = 1; i <= 500; i++) {
            publisher.publishAndForget("orders.new", Message.of("o" + i));
        }
        publisher.publish("orders.new", Message.of("o501")).get(5, TimeUnit.SECONDS);

        Recorder late = new Recorder();
        Subscription sub = subscriber("late").subscribe("orders.", SubscribeOptions.ofFirst(), late);
        for (int i = 502; i <= 1_000; i++) {   // published while the late joiner replays
            publisher.publishAndForget("orders.new", Message.of("o" + i));
        }
        sub.awaitSubscribed(ofSeconds(5));

        await("1000 events").atMost(ofSeconds(15)).until(() -> late.events.size() >= 1_000);
        assertThat(late.events).extracting(StreamEvent::seq)
                .containsExactlyElementsOf(range(1, 1_000));
        assertThat(late.events.get(999).bodyAsString()).isEqualTo("o1000");
        assertThat(late.losses).isEmpty();
    }

    @Test
    void shouldStartFromTheLastValueOfEachTopic() throws Exception {
        publisher.publish("fx.eur", Message.of("1.07")).get(5, TimeUnit.SECONDS);
        publisher.publish("fx.eur", Message.of("1.08")).get(5, TimeUnit.SECONDS);
        publisher.publish("fx.gbp", Message.of("0.85")).get(5, TimeUnit.SECONDS);

        Recorder last = new Recorder();
        subscriber("last").subscribe("fx.", SubscribeOptions.ofLast(), last).awaitSubscribed(ofSeconds(5));

        await("two last values").atMost(ofSeconds(5)).until(() -> last.events.size() == 2);
        assertThat(last.events).extracting(StreamEvent::bodyAsString).containsExactlyInAnyOrder("1.08", "0.85");
    }

    @Test
    void shouldNotLetASlowSubscriberHoldBackAFastOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder fast = new Recorder();
        Recorder slow = new Recorder() {
            @Override
            public void onEvent(StreamEvent event) {
                if (events.isEmpty()) {
                    hold(release);
                }
                super.onEvent(event);
            }
        };
        subscriber("fast").subscribe("ticks", SubscribeOptions.ofNow(), fast).awaitSubscribed(ofSeconds(5));
        subscriber("slow").subscribe("ticks", SubscribeOptions.ofNow().withMaxBufferedEvents(100), slow)
                .awaitSubscribed(ofSeconds(5));

        int count = 5_000;
        for (int i = 1; i < count; i++) {
            publisher.publishAndForget("ticks", Message.of("t" + i));
        }
        publisher.publish("ticks", Message.of("t" + count)).get(5, TimeUnit.SECONDS);

        await("the fast subscriber has everything while the slow one is stuck").atMost(ofSeconds(15))
                .until(() -> fast.events.size() == count);
        assertThat(slow.events.size()).as("events the stuck subscriber took").isLessThanOrEqualTo(1);
        release.countDown();
        await("the slow subscriber catches up, every seq an event or a reported loss").atMost(ofSeconds(20))
                .until(() -> slow.accounted() >= count);
        assertThat(fast.events).extracting(StreamEvent::seq).containsExactlyElementsOf(range(1, count));
        assertThat(slow.accountedSeqs()).containsExactlyElementsOf(range(1, count));
    }

    private Client subscriber(String name) {
        Client client = Client.connect(broker.clientConfig().withName(name));
        closeables.add(0, client);
        return client;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(s);
        }
        return out;
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records what a subscription delivers, in order. */
    private static class Recorder implements StreamListener {
        final List<StreamEvent> events = new CopyOnWriteArrayList<>();
        final List<StreamLoss> losses = new CopyOnWriteArrayList<>();
        final List<Long> order = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(StreamEvent event) {
            events.add(event);
            order.add(event.seq());
        }

        @Override
        public void onLoss(StreamLoss loss) {
            losses.add(loss);
            for (long s = loss.fromSeq(); s <= Math.min(loss.toSeq(), loss.fromSeq() + 1_000_000); s++) {
                order.add(s);
            }
        }

        int accounted() {
            return order.size();
        }

        List<Long> accountedSeqs() {
            return order;
        }
    }

}
