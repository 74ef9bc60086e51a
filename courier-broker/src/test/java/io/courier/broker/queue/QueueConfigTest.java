package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courier.broker.Broker;
import io.courier.broker.ReloadReport;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.BrokerConfigLoader;
import io.courier.broker.config.QueuesConfig;
import io.courier.protocol.Command;
import io.courier.core.ConfigException;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.store.SyncPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Queue and store settings: loading, validation, live reload, and what metrics and status show. */
@Timeout(30)
class QueueConfigTest {
    private static final Duration WAIT = QueueBrokerTest.WAIT;

    @TempDir
    Path data;
    private final RunningBrokerFixture fixture = new RunningBrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldNameTheKeyOfAnInvalidQueueSetting() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of("queues.orders.maxDeliver", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("queues.orders.maxDeliver: must be >= 1, got 0");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_STORE_SYNC_POLICY", "sometimes"),
                Map.of())).hasMessageStartingWith("store.syncPolicy: must be one of always, interval, never");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_QUEUES_ORDERS_TTL", "1s"),
                Map.of())).hasMessageContaining("config file");
    }

    @Test
    void shouldReadDedupMaxIdsForTheDefaultsAndPerQueue() throws IOException {
        Path file = Files.writeString(data.resolve("courier.yaml"), String.join("\n",
                "queues:", "  orders:", "    dedupMaxIds: 500", ""));

        BrokerConfig config = BrokerConfigLoader.load(file, Map.of("COURIER_QUEUES_DEFAULTS_DEDUP_MAX_IDS", "20000"),
                Map.of());

        assertThat(config.queues().of("other").dedupMaxIds()).isEqualTo(20_000);
        assertThat(config.queues().of("orders").dedupMaxIds()).isEqualTo(500);
        assertThat(BrokerConfigLoader.describe(config)).containsEntry("queues.defaults.dedupMaxIds", "20000")
                .containsEntry("queues.orders.dedupMaxIds", "500");
        assertThat(BrokerConfigLoader.load(null, Map.of(), BrokerConfigLoader.describe(config))).isEqualTo(config);
    }

    @Test
    void shouldNameTheKeyOfAnInvalidDedupMaxIds() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_QUEUES_DEFAULTS_DEDUP_MAX_IDS", "0"),
                Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("queues.defaults.dedupMaxIds: must be 1 to 100000000");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of("queues.orders.dedupMaxIds", "-5")))
                .hasMessageStartingWith("queues.orders.dedupMaxIds: must be 1 to 100000000")
                .hasMessageContaining("got -5");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(),
                Map.of("queues.orders.dedupMaxIds", "100000001"))).hasMessageContaining("got 100000001");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of("queues.orders.dedupMaxIds", "many")))
                .hasMessageStartingWith("queues.orders.dedupMaxIds: not an integer");
    }

    @Test
    void shouldReadQueuesFromTheFileOverTheDefaults() throws IOException {
        Path file = Files.writeString(data.resolve("courier.yaml"), String.join("\n",
                "store:", "  syncPolicy: interval", "  syncInterval: 5ms",
                "queues:", "  defaults:", "    maxDeliver: 4",
                "  orders.eu:", "    ackTimeout: 1m", "    expiredPolicy: drop", "    deadLetterQueue: failed", ""));

        BrokerConfig config = BrokerConfigLoader.load(file, Map.of("COURIER_QUEUES_DEFAULTS_TTL", "1h"), Map.of());

        assertThat(config.store().syncPolicy()).isEqualTo(SyncPolicy.INTERVAL);
        assertThat(config.store().syncInterval()).isEqualTo(Duration.ofMillis(5));
        QueueSettings eu = config.queues().of("orders.eu");
        assertThat(eu.maxDeliver()).isEqualTo(4);
        assertThat(eu.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(eu.ackTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(eu.expiredPolicy()).isEqualTo(ExpiredPolicy.DROP);
        assertThat(eu.deadLetterQueueOf("orders.eu")).isEqualTo("failed");
        assertThat(config.queues().of("other").deadLetterQueueOf("other")).isEqualTo("other.dlq");
        assertThat(BrokerConfigLoader.load(null, Map.of(), BrokerConfigLoader.describe(config))).isEqualTo(config);
    }

    @Test
    void shouldApplyQueuePoliciesLiveAndStoreSettingsOnRestart() {
        BrokerConfig config = RunningBrokerFixture.config(data);
        Broker broker = fixture.start(config);
        QueuePeer peer = fixture.peer(broker);
        fixture.enqueue(peer, 1, "tiny", "", "a");

        ReloadReport report = broker.reload(() -> config.withQueues(new QueuesConfig(QueueSettings.defaults(),
                Map.of("tiny", QueueSettings.defaults().withMaxMessages(1))))
                .withStore(config.store().withSyncPolicy(SyncPolicy.NEVER)));

        assertThat(report.ok()).isTrue();
        assertThat(report.applied()).contains("queues.tiny.maxMessages");
        assertThat(report.needsRestart()).containsExactly("store.syncPolicy");
        peer.send(new Enqueue(2, "tiny", "", 0, Headers.EMPTY, new byte[] {1}));
        ErrorReply full = peer.expect(Command.ERROR, WAIT);
        assertThat(full.code()).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(broker.config().store().syncPolicy()).isEqualTo(SyncPolicy.ALWAYS);
    }

    @Test
    void shouldShowQueuesAndTheStoreInMetricsAndStatus() throws Exception {
        Broker broker = fixture.start(RunningBrokerFixture.config(data).withEndpoints(new BrokerConfig.Bind(
                "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "127.0.0.1:0"))
                .withHeartbeat(new BrokerConfig.Heartbeat(Duration.ofSeconds(1), 30)));   // silent while scraping
        QueuePeer peer = fixture.peer(broker);
        fixture.enqueue(peer, 1, "jobs", "", "a");
        fixture.enqueue(peer, 2, "jobs", "", "b");
        peer.send(new Consume(1, "jobs", 1));
        Deliver d = peer.expect(Command.DELIVER, WAIT);
        peer.send(new Ack(1, new long[] {d.tag()}));

        await("metrics show the queue").atMost(WAIT).until(() -> metrics(broker)
                .contains("courier_queue_acked_total{queue=\"jobs\"} 1.0"));
        String metrics = metrics(broker);
        assertThat(metrics).contains("courier_queue_depth{queue=\"jobs\"}", "courier_queue_unacked{queue=\"jobs\"} 1",
                "courier_queue_consumers{queue=\"jobs\"} 1", "courier_queue_enqueued_total{queue=\"jobs\"} 2",
                "courier_queue_confirmed_total{queue=\"jobs\"} 2", "courier_store_sync_seconds_count",
                "courier_store_write_seconds_count", "courier_store_batch_writes_count",
                "courier_store_pending_writes", "courier_queue_dedup_evicted_total{queue=\"jobs\"} 0");
        String status = fixture.status(broker);
        assertThat(status).contains("\"name\":\"jobs\"", "\"unacked\":1", "\"deadLetterQueue\":\"jobs.dlq\"",
                "\"syncPolicy\":\"always\"", "\"pendingWrites\":", "\"directory\":\"");
    }

    private static String metrics(Broker broker) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create(broker.httpEndpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
