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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable streams across a broker restart: a stream whose retention rule says {@code durable: true} comes back
 * from the store with its messages and numbering, and a subscriber resumes it with no loss reported, while a
 * stream in memory restarts from 1 and is reported lost.
 */
@Timeout(60)
class DurableStreamsIT {
    @TempDir
    Path data;
    private TestBroker broker;
    private Client publisher;
    private Client subscriber;

    @BeforeEach
    void start() {
        BrokerConfig config = TestBroker.config(data);
        config = config.withStreams(config.streams().withRetention(List.of(
                new BrokerConfig.RetentionRule("audit.*", 1_000, 1L << 20, Duration.ofHours(1), true))));
        broker = TestBroker.start(config);
        publisher = Client.connect(broker.clientConfig().withName("publisher"));
        subscriber = Client.connect(broker.clientConfig().withName("subscriber"));
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(subscriber, publisher, broker);
    }

    @Test
    void shouldBringADurableStreamBackAfterARestartAndResumeItsSubscribers() throws Exception {
        Recorder live = new Recorder();
        subscriber.subscribe("", SubscribeOptions.ofNow(), live).awaitSubscribed(ofSeconds(5));
        for (int i = 1; i <= 3; i++) {
            publisher.publish("audit.login", Message.of("a" + i)).get(5, TimeUnit.SECONDS);
        }
        publisher.publish("memo", Message.of("m1")).get(5, TimeUnit.SECONDS);
        await().atMost(ofSeconds(5)).until(() -> live.events.size() == 4);

        broker.restart();
        await("new session").atMost(ofSeconds(10)).until(() -> live.losses.size() == 1);
        assertThat(live.losses.get(0).topic()).as("only the stream in memory is lost").isEqualTo("memo");

        assertThat(publisher.publish("audit.login", Message.of("a4")).get(10, TimeUnit.SECONDS))
                .as("numbering goes on").isEqualTo(4);
        assertThat(publisher.publish("memo", Message.of("m1'")).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        await().atMost(ofSeconds(5)).until(() -> live.events.size() == 6);
        assertThat(live.events).extracting(e -> e.topic() + "#" + e.seq() + "=" + e.bodyAsString())
                .containsExactly("audit.login#1=a1", "audit.login#2=a2", "audit.login#3=a3", "memo#1=m1",
                        "audit.login#4=a4", "memo#1=m1'");

        Recorder late = new Recorder();
        subscriber.subscribe("audit.", SubscribeOptions.ofFirst(), late).awaitSubscribed(ofSeconds(5));
        await().atMost(ofSeconds(5)).until(() -> late.events.size() == 4);
        assertThat(late.events).extracting(StreamEvent::bodyAsString).containsExactly("a1", "a2", "a3", "a4");
        assertThat(late.losses).isEmpty();
    }

    /** Records what a subscription delivers, in order. */
    private static final class Recorder implements StreamListener {
        final List<StreamEvent> events = new CopyOnWriteArrayList<>();
        final List<StreamLoss> losses = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(StreamEvent event) {
            events.add(event);
        }

        @Override
        public void onLoss(StreamLoss loss) {
            losses.add(loss);
        }
    }
}
