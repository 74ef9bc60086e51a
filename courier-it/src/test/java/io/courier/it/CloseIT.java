package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.TestBroker;
import io.courier.testkit.ThreadLeakCheck;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** close() of clients, workers and brokers: bounded, idempotent, and nothing left running. */
@Timeout(15)
class CloseIT {
    private static final long CLOSE_BOUND_MILLIS = 3_000;

    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldLeaveNoCourierOrZeroMqThreadsBehind() throws Exception {
        ThreadLeakCheck leaks = ThreadLeakCheck.snapshot(ThreadLeakCheck.COURIER_AND_ZEROMQ);
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig(), WorkerOptions.of("echo").withCapacity(3), request -> request);
        client = Client.connect(broker.clientConfig());
        for (int i = 0; i < 10; i++) {
            client.request("echo", Message.of("n" + i)).get(5, TimeUnit.SECONDS);
        }
        assertThat(leaks.newThreads()).as("threads while running").isNotEmpty();

        Closeables.closeAll(client, worker, broker);

        leaks.assertNoNewThreads(ofSeconds(2));
    }

    @Test
    void shouldCloseEachPartWithinItsBoundAndIdempotently() throws Exception {
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig(), "echo", request -> request);
        client = Client.connect(broker.clientConfig());
        client.request("echo", Message.of("hello")).get(5, TimeUnit.SECONDS);

        assertThat(timeMillis(client::close)).as("client close ms").isLessThan(CLOSE_BOUND_MILLIS);
        assertThat(timeMillis(worker::close)).as("worker close ms").isLessThan(CLOSE_BOUND_MILLIS);
        assertThat(timeMillis(broker::close)).as("broker close ms").isLessThan(CLOSE_BOUND_MILLIS);
        assertThat(timeMillis(() -> Closeables.closeAll(client, worker, broker))).as("second close ms")
                .isLessThan(100);
    }

    @Test
    void shouldFailPendingRequestsWithClosedWhenClientCloses() {
        broker = TestBroker.start(data);
        CountDownLatch started = new CountDownLatch(1);
        worker = Worker.start(broker.clientConfig(), "slow", request -> {
            started.countDown();
            release.await(5, TimeUnit.SECONDS);
            return request;
        });
        client = Client.connect(broker.clientConfig());
        CompletableFuture<Message> pending = client.request("slow", Message.of("never answered in time"));
        await("the worker holds the request").atMost(ofSeconds(3)).until(() -> started.getCount() == 0);

        long closeMillis = timeMillis(client::close);

        assertThat(Failures.courierFailure(pending, ofSeconds(1)).reason()).isEqualTo(Reason.CLOSED);
        assertThat(Failures.courierFailure(client.request("slow", Message.of("late")), ofSeconds(1)).reason())
                .isEqualTo(Reason.CLOSED);
        assertThat(closeMillis).as("client close ms").isLessThan(CLOSE_BOUND_MILLIS);
    }

    @Test
    void shouldTellClientsUnavailableForQueuedRequestsWhenBrokerCloses() {
        broker = TestBroker.start(data);
        CountDownLatch started = new CountDownLatch(1);
        worker = Worker.start(broker.clientConfig(), "slow", request -> {
            started.countDown();
            release.await(5, TimeUnit.SECONDS);
            return request;
        });
        client = Client.connect(broker.clientConfig());
        client.request("slow", Message.of("held by the worker"));
        await("the worker holds the first request").atMost(ofSeconds(3)).until(() -> started.getCount() == 0);
        CompletableFuture<Message> queued = client.request("slow", Message.of("queued in the broker"));
        await("the second request is queued").atMost(ofSeconds(3)).until(() -> broker.queuedRequests() == 1);

        broker.close();

        assertThat(Failures.courierFailure(queued, ofSeconds(2)).reason()).isEqualTo(Reason.UNAVAILABLE);
        await("client notices the broker is gone").atMost(ofSeconds(3)).until(() -> !client.isConnected());
    }

    private static long timeMillis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
