package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * No silent loss: a subscriber with tiny queues under a publisher much faster than it receives, or reported lost,
 * every sequence number the broker assigned; and a broker restart is reported, then the stream goes on.
 */
@Timeout(120)
class StreamsLossIT {
    private static final int MESSAGES = 1_000_000;

    @TempDir
    Path data;
    private TestBroker broker;
    private Client subscriber;
    private Client publisher;

    @AfterEach
    void stop() {
        Closeables.closeAll(publisher, subscriber, broker);
    }

    /**
     * A listener that falls behind for a moment pauses its subscription once this many calls wait, and asks for the
     * rest again later: if the broker retains less than that by default, the replay finds it evicted. With 10,000 a
     * default listener lost most of a 150k msgs/s stream on two busy cores (docs/performance-notes.md).
     */
    @Test
    void shouldBufferAsManyListenerCallsByDefaultAsTheBrokerRetainsPerStream() {
        assertThat(SubscribeOptions.DEFAULT_MAX_BUFFERED_EVENTS)
                .isGreaterThanOrEqualTo(BrokerConfig.Streams.defaults().maxMessages());
        assertThat(SubscribeOptions.ofNow().maxBufferedEvents())
                .isEqualTo(SubscribeOptions.DEFAULT_MAX_BUFFERED_EVENTS);
    }

    @Test
    void shouldAccountForEveryMessageOfAFastPublisherAtATinySubscriber() throws Exception {
        broker = TestBroker.start(data);
        Accounting accounting = new Accounting();
        // maxInFlight 1 gives the connection the smallest socket queues (1,000 messages); 64 events in hand
        subscriber = Client.connect(broker.clientConfig().withMaxInFlight(1));
        subscriber.subscribe("flood", SubscribeOptions.ofNow().withMaxBufferedEvents(64), accounting)
                .awaitSubscribed(ofSeconds(5));

        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket pub = ctx.createSocket(SocketType.PUB);
            pub.setSndHWM(0);   // no limit: every message reaches the broker, which then numbers it
            pub.setLinger(5_000);
            // JeroMQ now and then leaves a new connection without its greeting until the handshake timer fires:
            // retry it after 500 ms, as the Courier client does, rather than after the 30 s default
            pub.setHandshakeIvl(500);
            pub.connect(broker.broker().publishEndpoint());
            await("the broker's subscription reached the publisher").atMost(ofSeconds(10))
                    .until(() -> probe(pub) && headOf("probe") > 0);
            byte[] topic = "flood".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < MESSAGES; i++) {
                pub.send(topic, ZMQ.SNDMORE);
                pub.send(ByteBuffer.allocate(8).putLong(i).array(), 0);
            }
            await("the broker numbered every message").atMost(ofSeconds(60)).until(() -> headOf("flood") == MESSAGES);
        }

        await("every seq received or reported lost").atMost(ofSeconds(60))
                .until(() -> accounting.accounted() == MESSAGES);
        assertThat(accounting.duplicates.get()).as("seqs seen twice").isZero();
        assertThat(accounting.covered(MESSAGES)).as("seqs 1..%d all accounted for", MESSAGES).isTrue();
        assertThat(accounting.events.get()).as("events actually delivered").isPositive();
    }

    @Test
    void shouldReportABrokerRestartThenCarryOnWithTheNewStream() throws Exception {
        broker = TestBroker.start(data);
        publisher = Client.connect(broker.clientConfig());
        Accounting accounting = new Accounting();
        subscriber = Client.connect(broker.clientConfig());
        subscriber.subscribe("news", SubscribeOptions.ofNow(), accounting).awaitSubscribed(ofSeconds(5));
        for (int i = 1; i <= 10; i++) {
            publisher.publish("news", Message.of("before " + i)).get(5, TimeUnit.SECONDS);
        }
        await("ten before the restart").atMost(ofSeconds(5)).until(() -> accounting.events.get() == 10);

        broker.restart();
        await("publisher back").atMost(ofSeconds(10)).until(() -> tryPublish(publisher, "after"));

        await("the restart reported as a loss").atMost(ofSeconds(10)).until(() -> !accounting.losses.isEmpty());
        assertThat(accounting.losses.get(0).reason()).contains("restart");
        await("events of the new broker arrive, none of them skipped").atMost(ofSeconds(10))
                .until(() -> accounting.bodies.contains("after"));
        assertThat(accounting.bodies).as("what arrived after the restart").endsWith("after");
    }

    private boolean probe(ZMQ.Socket pub) {
        pub.send("probe", ZMQ.SNDMORE);
        pub.send("x", 0);
        return true;
    }

    private long headOf(String topic) throws Exception {
        String status = broker.broker().status().get(5, TimeUnit.SECONDS);
        Matcher matcher = Pattern.compile("\"name\":\"" + topic + "\",\"headSeq\":(\\d+)").matcher(status);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static boolean tryPublish(Client publisher, String body) {
        try {
            publisher.publish("news", Message.of(body)).get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Marks every seq delivered or reported lost; counts duplicates. Listener calls come one at a time. */
    private static final class Accounting implements StreamListener {
        private final BitSet seen = new BitSet();
        private final AtomicLong accounted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong events = new AtomicLong();
        final List<StreamLoss> losses = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(StreamEvent event) {
            events.incrementAndGet();
            mark(event.seq(), event.seq());
            if (event.frames().size() == 1) {
                bodies.add(event.bodyAsString());
            }
        }

        @Override
        public void onLoss(StreamLoss loss) {
            losses.add(loss);
            if (loss.toSeq() < Integer.MAX_VALUE) {
                mark(loss.fromSeq(), loss.toSeq());
            }
        }

        private synchronized void mark(long from, long to) {
            for (long s = from; s <= to; s++) {
                if (seen.get((int) s)) {
                    duplicates.incrementAndGet();
                } else {
                    seen.set((int) s);
                    accounted.incrementAndGet();
                }
            }
        }

        long accounted() {
            return accounted.get();
        }

        synchronized boolean covered(int count) {
            return seen.nextClearBit(1) == count + 1;
        }
    }
}
