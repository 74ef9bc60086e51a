package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A request for a service nobody serves fails with UNKNOWN_SERVICE after the broker's configured wait. */
@Timeout(10)
class UnknownServiceIT {
    private static final RequestOptions FIVE_SECONDS = RequestOptions.of(Duration.ofSeconds(5), 0);

    @TempDir
    Path data;
    private TestBroker broker;
    private Client client;
    private Worker worker;

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldFailWithUnknownServiceWellBeforeTheRequestTimeout() {
        start(Duration.ofMillis(300));
        long started = System.nanoTime();

        CompletableFuture<Message> reply = client.request("nobody-serves-this", Message.of("hello"), FIVE_SECONDS);
        CourierException failure = Failures.courierFailure(reply, ofSeconds(5));

        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(failure.reason()).isEqualTo(Reason.UNKNOWN_SERVICE);
        assertThat(failure.getMessage()).contains("nobody-serves-this");
        assertThat(elapsedMillis).as("ms until UNKNOWN_SERVICE, with a 300ms wait and a 5s timeout")
                .isLessThan(2_000);
    }

    @Test
    void shouldDeliverToWorkerThatRegistersWithinTheWait() throws Exception {
        start(Duration.ofSeconds(3));

        CompletableFuture<Message> reply = client.request("late", Message.of("hello"), FIVE_SECONDS);
        await("the request waits in the broker").atMost(ofSeconds(2)).until(() -> broker.queuedRequests() == 1);
        worker = Worker.start(broker.clientConfig(), "late", request -> Message.of("late:" + request.bodyAsString()));

        assertThat(reply.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("late:hello");
    }

    private void start(Duration unknownServiceWait) {
        BrokerConfig config = TestBroker.config(data);
        broker = TestBroker.start(config.withRequests(new BrokerConfig.Requests(
                config.requests().defaultTimeout(), unknownServiceWait, config.requests().maxQueuedPerService())));
        client = Client.connect(broker.clientConfig());
    }
}
