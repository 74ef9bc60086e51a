package io.courier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many requests in flight at once over one client connection, spread over two workers. */
@Timeout(20)
class ConcurrencyIT {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 125;
    private static final int CAPACITY = 4;

    @TempDir
    Path data;
    private TestBroker broker;
    private Client client;
    private Worker first;
    private Worker second;
    private ExecutorService senders;
    private ExecutorService firstHandlers;
    private ExecutorService secondHandlers;
    private final Map<String, HandlerStats> stats = new ConcurrentHashMap<>();

    /** How many jobs one worker handled, and the most it held at once. */
    private static final class HandlerStats {
        final AtomicInteger handled = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
    }

    @BeforeEach
    void start() {
        // a generous liveness window: a CPU stall must not make peers reconnect and redeliver, which would blur
        // the exact counts this test checks (redelivery itself is WorkerFailoverIT's subject)
        broker = TestBroker.start(TestBroker.config(data).withHeartbeat(new BrokerConfig.Heartbeat(
                Duration.ofMillis(100), 50)));
        // Unbounded executors: the handlers then run as many jobs at once as the broker hands out, so the
        // count of running handlers shows whether the broker respects the capacity.
        firstHandlers = Executors.newCachedThreadPool();
        secondHandlers = Executors.newCachedThreadPool();
        first = startWorker("w1", firstHandlers);
        second = startWorker("w2", secondHandlers);
        broker.awaitWorkers(2);
        client = Client.connect(broker.clientConfig().withHeartbeat(Duration.ofMillis(100), 50)
                .withDefaults(RequestOptions.of(Duration.ofSeconds(10), 0)));
        senders = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(senders::shutdownNow, client, first, second, firstHandlers::shutdownNow,
                secondHandlers::shutdownNow, broker);
    }

    @Test
    void shouldAnswerEveryConcurrentRequestWithItsOwnReply() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Sent>>> batches = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            batches.add(senders.submit(() -> {
                go.await();
                List<Sent> sent = new ArrayList<>(PER_THREAD);
                for (int i = 0; i < PER_THREAD; i++) {
                    String body = "t" + thread + "-r" + i;
                    sent.add(new Sent(body, client.request("echo", Message.of(body))));
                }
                return sent;
            }));
        }
        go.countDown();

        List<Sent> all = new ArrayList<>();
        for (Future<List<Sent>> batch : batches) {
            all.addAll(batch.get(10, TimeUnit.SECONDS));
        }
        CompletableFuture.allOf(all.stream().map(Sent::reply).toArray(CompletableFuture[]::new))
                .get(15, TimeUnit.SECONDS);

        assertThat(all).hasSize(THREADS * PER_THREAD);
        for (Sent sent : all) {
            assertThat(sent.reply().join().bodyAsString()).as("reply to %s", sent.body())
                    .isEqualTo("echo:" + sent.body());
        }
        assertThat(stats.get("w1").handled.get() + stats.get("w2").handled.get()).isEqualTo(THREADS * PER_THREAD);
        assertThat(stats.get("w1").handled.get()).as("jobs on w1").isPositive();
        assertThat(stats.get("w2").handled.get()).as("jobs on w2").isPositive();
        assertThat(stats.get("w1").maxRunning.get()).as("most jobs at once on w1").isBetween(1, CAPACITY);
        assertThat(stats.get("w2").maxRunning.get()).as("most jobs at once on w2").isBetween(1, CAPACITY);
    }

    private record Sent(String body, CompletableFuture<Message> reply) {
    }

    private Worker startWorker(String name, ExecutorService handlers) {
        HandlerStats mine = new HandlerStats();
        stats.put(name, mine);
        return Worker.start(broker.clientConfig().withName(name).withHeartbeat(Duration.ofMillis(100), 50)
                        .withCallbackExecutor(handlers),
                WorkerOptions.of("echo").withCapacity(CAPACITY), request -> {
                    int now = mine.running.incrementAndGet();
                    mine.maxRunning.accumulateAndGet(now, Math::max);
                    try {
                        mine.handled.incrementAndGet();
                        return Message.of("echo:" + request.bodyAsString());
                    } finally {
                        mine.running.decrementAndGet();
                    }
                });
    }
}
