package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.QueuesConfig;
import io.courier.broker.queue.QueueSettings;
import io.courier.client.Client;
import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueDelivery;
import io.courier.client.QueuedMessage;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable queues end to end: real broker and store, real clients, loopback sockets. */
@Timeout(60)
class QueuesIT {
    @TempDir
    Path data;

    private TestBroker broker;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() {
        QueueSettings defaults = QueueSettings.defaults();
        QueuesConfig queues = new QueuesConfig(defaults, Map.of(
                "fragile", defaults.withMaxDeliver(2),
                "short", defaults.withTtl(Duration.ofMillis(200)),
                "slow-ack", defaults.withAckTimeout(Duration.ofMillis(500))));
        broker = TestBroker.start(TestBroker.config(data).withQueues(queues)
                .withHeartbeat(new BrokerConfig.Heartbeat(Duration.ofMillis(200), 5)));
    }

    @AfterEach
    void stop() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            Closeables.closeAll(closeables.get(i));
        }
        Closeables.closeAll(broker);
    }

    private Client client() {
        Client client = Client.connect(TestBroker.clientConfig(broker.endpoint())
                .withHeartbeat(Duration.ofMillis(200), 10));
        closeables.add(client);
        return client;
    }

    private static List<EnqueueReceipt> enqueueAll(Client client, String queue, int n) throws Exception {
        List<CompletableFuture<EnqueueReceipt>> futures = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            futures.add(client.enqueue(queue, ("m" + i).getBytes(UTF_8)));
        }
        List<EnqueueReceipt> receipts = new ArrayList<>();
        for (CompletableFuture<EnqueueReceipt> f : futures) {
            receipts.add(f.get(10, TimeUnit.SECONDS));
        }
        return receipts;
    }

    @Test
    void shouldEnqueueConsumeAndAckInOrder() throws Exception {
        Client client = client();
        List<EnqueueReceipt> receipts = enqueueAll(client, "jobs", 200);
        assertThat(receipts).extracting(EnqueueReceipt::seq).doesNotHaveDuplicates();
        List<String> got = new CopyOnWriteArrayList<>();

        QueueConsumer consumer = client.consume("jobs", ConsumeOptions.defaults().withPrefetch(16),
                d -> got.add(d.bodyAsString()));
        consumer.awaitConsuming(ofSeconds(5));

        await("all delivered").atMost(ofSeconds(15)).until(() -> got.size() >= 200);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            expected.add("m" + i);
        }
        assertThat(got).isEqualTo(expected);
        await("all acked").atMost(ofSeconds(10)).until(() -> depthAndUnacked(client, "jobs").equals("0/0"));
    }

    @Test
    void shouldRedeliverWhatADeadConsumerDidNotAck() throws Exception {
        Client producer = client();
        enqueueAll(producer, "jobs", 3);
        Client doomed = Client.connect(TestBroker.clientConfig(broker.endpoint()));
        List<QueueDelivery> held = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> never = new CompletableFuture<>();
        doomed.consume("jobs", ConsumeOptions.defaults().withPrefetch(3), d -> {
            held.add(d);
            never.get(20, TimeUnit.SECONDS);   // holds the delivery, never acks
        });
        await("first one held").atMost(ofSeconds(10)).until(() -> held.size() == 1);

        doomed.close();   // the consumer dies without acking
        never.complete(null);
        List<QueueDelivery> again = new CopyOnWriteArrayList<>();
        producer.consume("jobs", again::add);

        await("all three again").atMost(ofSeconds(15)).until(() -> again.size() >= 3);
        assertThat(again).extracting(QueueDelivery::bodyAsString).contains("m1", "m2", "m3");
        assertThat(again.stream().filter(d -> d.bodyAsString().equals("m1")).findFirst().orElseThrow()
                .redelivered()).isTrue();
    }

    @Test
    void shouldDeadLetterAfterMaxDeliverAndReplay() throws Exception {
        Client client = client();
        enqueueAll(client, "fragile", 1);
        AtomicInteger attempts = new AtomicInteger();
        QueueConsumer failing = client.consume("fragile", d -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot handle it");   // nacked with requeue each time
        });
        await("dead-lettered").atMost(ofSeconds(10))
                .until(() -> client.listQueue("fragile.dlq", 10).handle((l, e) -> e == null && l.size() == 1)
                        .get(5, TimeUnit.SECONDS));
        failing.close();
        assertThat(attempts).hasValue(2);
        List<QueuedMessage> dead = client.listQueue("fragile.dlq", 10).get(5, TimeUnit.SECONDS);
        assertThat(dead.get(0).bodyAsString()).isEqualTo("m1");
        assertThat(dead.get(0).header(QueuedMessage.DEAD_LETTER_REASON)).contains("max deliveries");
        assertThat(dead.get(0).header(QueuedMessage.ORIGINAL_QUEUE)).isEqualTo("fragile");

        assertThat(client.replayDeadLetters("fragile.dlq", 0).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        List<String> got = new CopyOnWriteArrayList<>();
        client.consume("fragile", d -> got.add(d.bodyAsString()));
        await("replayed one delivered").atMost(ofSeconds(10)).until(() -> got.equals(List.of("m1")));
    }

    @Test
    void shouldExpireMessagesPastTheirTtl() throws Exception {
        Client client = client();
        client.enqueue("jobs", Message.of("brief"), EnqueueOptions.defaults().withTtl(Duration.ofMillis(100)))
                .get(5, TimeUnit.SECONDS);
        client.enqueue("short", "queue ttl".getBytes(UTF_8)).get(5, TimeUnit.SECONDS);
        client.enqueue("jobs", "lasting".getBytes(UTF_8)).get(5, TimeUnit.SECONDS);

        await("expired by now").pollDelay(Duration.ofMillis(300)).atMost(ofSeconds(10))
                .until(() -> depthAndUnacked(client, "short").startsWith("0/"));
        List<String> got = new CopyOnWriteArrayList<>();
        client.consume("jobs", d -> got.add(d.bodyAsString()));
        await("the lasting one").atMost(ofSeconds(10)).until(() -> got.contains("lasting"));
        assertThat(got).doesNotContain("brief");
    }

    @Test
    void shouldRecogniseADuplicateByProducerId() throws Exception {
        Client client = client();
        EnqueueOptions id = EnqueueOptions.defaults().withMessageId("order-42");
        EnqueueReceipt first = client.enqueue("jobs", Message.of("once"), id).get(5, TimeUnit.SECONDS);
        EnqueueReceipt second = client.enqueue("jobs", Message.of("once"), id).get(5, TimeUnit.SECONDS);

        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.seq()).isEqualTo(first.seq());
        assertThat(client.listQueue("jobs", 10).get(5, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void shouldShareAQueueFairlyBetweenConsumersOnTwoConnections() throws Exception {
        Client producer = client();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        client().consume("jobs", ConsumeOptions.defaults().withPrefetch(4), d -> {
            seen.add(d.bodyAsString());
            a.incrementAndGet();
        }).awaitConsuming(ofSeconds(5));
        client().consume("jobs", ConsumeOptions.defaults().withPrefetch(4), d -> {
            seen.add(d.bodyAsString());
            b.incrementAndGet();
        }).awaitConsuming(ofSeconds(5));

        enqueueAll(producer, "jobs", 400);

        await("all consumed").atMost(ofSeconds(20)).until(() -> seen.size() == 400);
        // Each share follows how fast that consumer gives credit back, which the scheduler of a loaded two-core
        // machine skews (304 of 400 was seen); the exact round-robin is QueueCoreConsumeTest's. Here: both
        // connections take a real part, neither is starved.
        assertThat(a.get()).as("consumer a's share").isBetween(40, 360);
        assertThat(b.get()).as("consumer b's share").isBetween(40, 360);
    }

    @Test
    void shouldKeepUnackedMessagesAcrossABrokerRestart() throws Exception {
        Client client = client();
        enqueueAll(client, "jobs", 5);
        List<QueueDelivery> held = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        client.consume("jobs", ConsumeOptions.defaults().withPrefetch(1), d -> {
            held.add(d);
            if (held.size() == 1) {
                release.get(20, TimeUnit.SECONDS);   // m1 stays unacked while the broker restarts
            }
        });
        await("m1 held").atMost(ofSeconds(10)).until(() -> held.size() == 1);

        broker.restart();
        release.complete(null);

        await("all five after the restart").atMost(ofSeconds(20))
                .until(() -> held.stream().map(QueueDelivery::bodyAsString).distinct().count() == 5);
        assertThat(held.stream().filter(d -> d.bodyAsString().equals("m1")).count()).isGreaterThanOrEqualTo(2);
    }

    /** "depth/unacked" of a queue from the broker's status document. */
    private static String depthAndUnacked(Client client, String queue) throws Exception {
        String status = client.status().get(5, TimeUnit.SECONDS);
        for (JsonNode q : new ObjectMapper().readTree(status).path("queues")) {
            if (queue.equals(q.path("name").asText())) {
                return q.path("depth").asLong() + "/" + q.path("unacked").asLong();
            }
        }
        return "none";
    }
}
