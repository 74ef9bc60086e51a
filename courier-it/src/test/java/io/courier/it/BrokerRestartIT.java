package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away and comes back on the same port: clients and workers reconnect by themselves. */
@Timeout(15)
class BrokerRestartIT {
    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig().withName("echo-worker"), "echo",
                request -> Message.of("echo:" + request.bodyAsString()));
        client = Client.connect(broker.clientConfig());
        assertThat(client.request("echo", Message.of("before")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("echo:before");
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldReconnectAndCarryOnAfterBrokerRestartOnSamePort() throws Exception {
        String endpoint = broker.endpoint();

        broker.stop();
        await("client and worker notice the broker is gone").atMost(ofSeconds(3))
                .until(() -> !client.isConnected() && !worker.isConnected());
        CompletableFuture<Message> sentWhileDown = client.request("echo", Message.of("while down"));
        broker.restart();

        assertThat(broker.endpoint()).isEqualTo(endpoint);
        assertThat(sentWhileDown.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("echo:while down");
        assertThat(client.request("echo", Message.of("after")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("echo:after");
        await("client and worker connected again").atMost(ofSeconds(3))
                .until(() -> client.isConnected() && worker.isConnected());
        broker.awaitWorkers(1);
    }

    @Test
    void shouldReRegisterWorkerWhenBrokerRestartsBeforeAnyoneNotices() throws Exception {
        broker.restart();   // at once: the old TCP connections die, the peers may not have timed out yet

        assertThat(client.request("echo", Message.of("after")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("echo:after");
        broker.awaitWorkers(1);
        await("client and worker connected again").atMost(ofSeconds(3))
                .until(() -> client.isConnected() && worker.isConnected());
    }

    @Test
    void shouldSurviveSeveralRestartsInARow() throws Exception {
        for (int round = 1; round <= 3; round++) {
            broker.restart();
            String body = "round " + round;
            assertThat(client.request("echo", Message.of(body)).get(5, TimeUnit.SECONDS).bodyAsString())
                    .isEqualTo("echo:" + body);
        }
        broker.awaitWorkers(1);
    }
}
