package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.metrics.BrokerStats;
import io.courier.client.Client;
import io.courier.client.ConsumeOptions;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker loop sleeps between messages instead of spinning on a ZeroMQ wake-up it cannot consume
 * (docs/architecture.md "Empty wake-ups"). Before the fix, one message at a time through a queue with a consumer
 * cost the broker loop about 200 empty wake-ups per message on two cores; with it a message takes about 4 passes
 * (enqueue, store, confirm, deliver, ack).
 */
@Timeout(60)
class EmptyWakesIT {
    private static final int MESSAGES = 1_000;
    /** Passes per message allowed: several times what a message needs, far below what the spin made. */
    private static final int PASSES_PER_MESSAGE = 40;

    @TempDir
    Path data;
    private TestBroker broker;
    private Client producer;
    private Client consumer;

    @AfterEach
    void stop() {
        Closeables.closeAll(consumer, producer, broker);
    }

    @Test
    void shouldNotSpinTheBrokerLoopWhileMessagesGoOneAtATime() throws Exception {
        broker = TestBroker.start(data);
        producer = Client.connect(broker.clientConfig());
        consumer = Client.connect(broker.clientConfig());
        AtomicInteger acked = new AtomicInteger();
        QueueConsumer handle = consumer.consume("trickle", ConsumeOptions.defaults().withPrefetch(16),
                d -> acked.incrementAndGet());
        handle.awaitConsuming(ofSeconds(5));
        BrokerStats before = broker.broker().stats();

        for (int i = 0; i < MESSAGES; i++) {
            producer.enqueue("trickle", Message.of("m" + i)).get(5, TimeUnit.SECONDS);   // a window of one
        }
        await("all consumed").atMost(ofSeconds(20)).until(() -> acked.get() == MESSAGES);

        BrokerStats after = broker.broker().stats();
        long passes = after.loopPasses() - before.loopPasses();
        assertThat(passes).as("broker loop passes for %d messages (%d empty wake-ups)", MESSAGES,
                after.emptyWakes() - before.emptyWakes()).isPositive().isLessThan((long) MESSAGES * PASSES_PER_MESSAGE);
    }
}
