package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code callbackExecutor(Runnable::run)}: a worker's handler and a client's callbacks run on their connections'
 * I/O threads, and requests made from such a callback go out in the same pass. Chains of requests, failures and
 * many requests in flight all complete.
 */
@Timeout(20)
class InlineCallbacksIT {
    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        ClientConfig inline = broker.clientConfig().withCallbackExecutor(Runnable::run);
        worker = Worker.start(inline, WorkerOptions.of("echo").withCapacity(16), request -> {
            if (request.bodyAsString().equals("fail")) {
                throw new IllegalStateException("asked to fail");
            }
            return Message.of("echo:" + request.bodyAsString()).withHeader("x-thread",
                    Thread.currentThread().getName());
        });
        client = Client.connect(inline);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldRunHandlerAndChainedCallbacksOnTheIoThreads() throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        chain(300, threads, done);

        assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(300);
        // Every callback but the first was attached on the I/O thread before it could read the reply.
        assertThat(threads).as("threads that ran callbacks after the first").hasSize(1)
                .allMatch(name -> name.startsWith("courier-client-"));
        Message reply = client.request("echo", Message.of("a")).get(5, TimeUnit.SECONDS);
        assertThat(reply.bodyAsString()).isEqualTo("echo:a");
        assertThat(reply.headers().get("x-thread")).startsWith("courier-worker-").doesNotContain("handler");
    }

    @Test
    void shouldCompleteManyInFlightAndReportHandlerFailures() throws Exception {
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            replies.add(client.request("echo", Message.of("m" + i)).whenComplete((r, e) -> {
                if (r != null) {
                    bodies.add(r.bodyAsString());
                }
            }));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(bodies).hasSize(2_000).contains("echo:m0", "echo:m1999");

        CourierException failure = Failures.courierFailure(client.request("echo", Message.of("fail")), ofSeconds(5));
        assertThat(failure.reason()).isEqualTo(Reason.SERVICE_ERROR);
        assertThat(failure.getMessage()).contains("asked to fail");
    }

    /** Sends the next request from the completion of the one before, on the client's I/O thread. */
    private void chain(int left, Set<String> threads, CompletableFuture<Integer> done) {
        chain(left, 1, threads, done);
    }

    private void chain(int left, int sent, Set<String> threads, CompletableFuture<Integer> done) {
        client.request("echo", Message.of("n" + left)).whenComplete((reply, error) -> {
            if (sent > 1) {
                threads.add(Thread.currentThread().getName());
            }
            if (error != null) {
                done.completeExceptionally(error);
            } else if (left == 1) {
                done.complete(sent);
            } else {
                chain(left - 1, sent + 1, threads, done);
            }
        });
    }
}
