package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.protocol.Command;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.store.DurableStore;
import io.courier.store.Recovered;
import io.courier.store.StorageException;
import io.courier.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What durable queues keep across a broker restart, and how a bad data directory is refused. */
@Timeout(30)
class QueueDurabilityTest {
    private static final Duration WAIT = QueueBrokerTest.WAIT;

    @TempDir
    Path data;
    private final RunningBrokerFixture fixture = new RunningBrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void shouldConfirmOnlyWhatTheStoreHolds() {
        Broker broker = fixture.start(RunningBrokerFixture.config(data));
        QueuePeer peer = fixture.peer(broker);
        fixture.enqueue(peer, 1, "jobs", "a-1", "first");
        fixture.enqueue(peer, 2, "jobs", "a-2", "second");
        fixture.close();

        try (DurableStore store = DurableStore.open(data.resolve("store"), StoreSettings.defaults())) {
            Recovered recovered = store.takeRecovered();
            assertThat(recovered.queues().get("jobs")).hasSize(2);
        }
    }

    @Test
    void shouldRestoreUnackedMessagesInOrderWithDeliveryCountsAfterRestart() {
        BrokerConfig config = RunningBrokerFixture.config(data);
        Broker broker = fixture.start(config);
        QueuePeer peer = fixture.peer(broker);
        for (int i = 1; i <= 3; i++) {
            fixture.enqueue(peer, i, "jobs", "id-" + i, "m" + i);
        }
        peer.send(new Consume(1, "jobs", 1));
        Deliver taken = peer.expect(Command.DELIVER, WAIT);   // never acked
        assertThat(taken.deliveries()).isEqualTo(1);
        fixture.close();

        Broker restarted = fixture.start(config);
        QueuePeer again = fixture.peer(restarted);
        again.send(new Consume(2, "jobs", 1));
        for (int i = 1; i <= 3; i++) {
            Deliver d = again.expect(Command.DELIVER, WAIT);
            assertThat(QueueBrokerTest.body(d)).isEqualTo("m" + i);
            assertThat(d.seq()).isEqualTo(i);
            assertThat(d.deliveries()).isEqualTo(i == 1 ? 2 : 1);
            again.send(new Ack(2, new long[] {d.tag()}));
        }
        Confirm fresh = fixture.enqueue(again, 10, "jobs", "id-new", "m4");
        assertThat(fresh.seq()).isGreaterThan(3);   // acked seqs are never given again
    }

    @Test
    void shouldRememberProducerIdsOfUnackedMessagesAcrossARestart() {
        BrokerConfig config = RunningBrokerFixture.config(data);
        Broker broker = fixture.start(config);
        Confirm original = fixture.enqueue(fixture.peer(broker), 1, "jobs", "order-7", "x");
        fixture.close();

        Broker restarted = fixture.start(config);
        Confirm resent = fixture.enqueue(fixture.peer(restarted), 2, "jobs", "order-7", "x");

        assertThat(resent.duplicate()).isTrue();
        assertThat(resent.seq()).isEqualTo(original.seq());
    }

    @Test
    void shouldRefuseADataDirectoryAnotherBrokerHolds() {
        fixture.start(RunningBrokerFixture.config(data));

        assertThatThrownBy(() -> Broker.start(RunningBrokerFixture.config(data)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("data directory " + data)
                .hasMessageContaining("in use");
    }

    @Test
    void shouldRefuseADataDirectoryThatIsAFile() throws IOException {
        Path file = Files.writeString(data.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> Broker.start(RunningBrokerFixture.config(file)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldRefuseADamagedStore() throws IOException {
        Path store = Files.createDirectories(data.resolve("store"));
        Files.writeString(store.resolve("000007.log"), "not a log");

        assertThatThrownBy(() -> Broker.start(RunningBrokerFixture.config(data)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(store.toString())
                .hasMessageContaining("damaged");
    }
}
