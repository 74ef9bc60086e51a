package io.courier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client that closes says goodbye: the broker forgets it at once, not after the liveness window. */
@Timeout(15)
class ClientGoodbyeIT {
    @TempDir
    Path data;
    private TestBroker broker;
    private Client client;

    @AfterEach
    void stop() {
        Closeables.closeAll(client, broker);
    }

    @Test
    void shouldBeForgottenByTheBrokerAsSoonAsItCloses() throws Exception {
        // a 30s liveness window: only the goodbye can make the broker forget the client within the wait below
        broker = TestBroker.start(TestBroker.config(data).withHeartbeat(
                new BrokerConfig.Heartbeat(Duration.ofSeconds(10), 3)));
        client = Client.connect(broker.clientConfig());
        client.status().get(5, TimeUnit.SECONDS);
        assertThat(broker.broker().stats().connections()).isEqualTo(1);

        client.close();

        await("the broker forgot the client").atMost(Duration.ofSeconds(3))
                .until(() -> broker.broker().stats().connections() == 0);
        client = Client.connect(broker.clientConfig());
        assertThat(client.request("mmi.service", Message.of("none")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("404");
    }
}
