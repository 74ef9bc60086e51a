package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker.shutdown(drain): requests already accepted finish and are answered; new ones are refused UNAVAILABLE at
 * once; the broker is gone within the drain time. Nothing accepted is dropped without an answer.
 */
@Timeout(15)
class GracefulShutdownIT {
    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldFinishInFlightRequestsAndRefuseNewOnesWhileDraining() throws Exception {
        broker = TestBroker.start(TestBroker.config(data).withEndpoints(new BrokerConfig.Bind("tcp://127.0.0.1:*",
                "tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "127.0.0.1:0")));
        assertThat(ready()).as("/ready before the drain").isEqualTo(200);
        worker = Worker.start(broker.clientConfig(), "slow", request -> {
            started.countDown();
            release.await(10, TimeUnit.SECONDS);
            return Message.of("done:" + request.bodyAsString());
        });
        broker.awaitWorkers(1);
        client = Client.connect(broker.clientConfig());
        CompletableFuture<Message> inFlight = client.request("slow", Message.of("accepted"));
        assertThat(started.await(5, TimeUnit.SECONDS)).as("worker started the request").isTrue();

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                () -> broker.broker().shutdown(Duration.ofSeconds(5)));
        await("broker draining").atMost(ofSeconds(3)).until(() -> refusedWhileDraining(client));
        assertThat(ready()).as("/ready while draining").isEqualTo(503);
        release.countDown();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo("done:accepted");
        shutdown.get(5, TimeUnit.SECONDS);
        assertThat(broker.broker().awaitTermination(Duration.ZERO)).as("broker stopped").isTrue();
    }

    @Test
    void shouldAnswerUnavailableToWhatIsLeftWhenTheDrainTimeRunsOut() throws Exception {
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig(), "stuck", request -> {
            started.countDown();
            release.await(10, TimeUnit.SECONDS);
            return request;
        });
        broker.awaitWorkers(1);
        client = Client.connect(broker.clientConfig());
        CompletableFuture<Message> inFlight = client.request("stuck", Message.of("never finishes in time"));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long begin = System.nanoTime();

        broker.broker().shutdown(Duration.ofMillis(300));

        long tookMillis = (System.nanoTime() - begin) / 1_000_000;
        CourierException failure = Failures.courierFailure(inFlight, ofSeconds(5));
        assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(tookMillis).as("shutdown ms with a 300ms drain").isLessThan(3_000);
    }

    private int ready() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(broker.broker().httpEndpoint() + "/ready")).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** Sends one request; true when the broker refused it as UNAVAILABLE (it is draining). */
    private static boolean refusedWhileDraining(Client client) {
        CompletableFuture<Message> probe = client.request("slow", Message.of("too late"));
        try {
            probe.get(2, TimeUnit.SECONDS);
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof CourierException c && c.reason() == Reason.UNAVAILABLE;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
