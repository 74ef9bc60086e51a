package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BatchingExecutorTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Holds the runners it is lent until the test runs them on its own thread: wake-ups become countable. */
    private static final class HeldThreads implements Executor {
        final Queue<Runnable> held = new ArrayDeque<>();
        int lent;

        @Override
        public void execute(Runnable runner) {
            lent++;
            held.add(runner);
        }

        void runAll() {
            for (Runnable r; (r = held.poll()) != null; ) {
                r.run();
            }
        }
    }

    @Test
    void shouldWakeOneRunnerForABurstNotOnePerTask() {
        HeldThreads threads = new HeldThreads();
        BatchingExecutor executor = new BatchingExecutor("t", threads, Integer.MAX_VALUE, () -> { });
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            executor.execute(ran::incrementAndGet);
        }
        assertThat(threads.lent).as("one runner on its way covers the whole burst").isEqualTo(1);

        threads.runAll();

        assertThat(ran).hasValue(100);
        // the first runner asked for a second pair of hands once (one start in flight at a time), not 99 times
        assertThat(threads.lent).isEqualTo(2);
        assertThat(executor.runners()).isZero();
        assertThat(executor.queued()).isZero();
    }

    @Test
    void shouldStartAnotherRunnerWhenATaskBlocksOnALaterOne() throws Exception {
        BatchingExecutor executor = new BatchingExecutor("t", pool, Integer.MAX_VALUE, () -> { });
        CompletableFuture<String> later = new CompletableFuture<>();
        CompletableFuture<String> first = new CompletableFuture<>();
        CountDownLatch blocking = new CountDownLatch(1);
        executor.execute(() -> {
            blocking.countDown();
            first.complete(later.join());   // waits for a task submitted after this one started
        });
        assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
        executor.execute(() -> later.complete("done"));

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void shouldRunAtMostMaxRunnersTasksAtOnce() throws Exception {
        BatchingExecutor executor = new BatchingExecutor("t", pool, 2, () -> { });
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            executor.execute(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.countDown();
            });
        }
        await("two runners busy").atMost(Duration.ofSeconds(5))
                .until(() -> running.get() == 2);
        assertThat(executor.runners()).isEqualTo(2);
        release.countDown();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(most).hasValue(2);
    }

    @Test
    void shouldRunTheRestWhenATaskThrows() {
        HeldThreads threads = new HeldThreads();
        BatchingExecutor executor = new BatchingExecutor("t", threads, 1, () -> { });
        AtomicInteger ran = new AtomicInteger();
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        executor.execute(ran::incrementAndGet);

        threads.runAll();

        assertThat(ran).hasValue(1);
        assertThat(executor.runners()).isZero();
    }

    @Test
    void shouldLetAnErrorEndItsRunnerAndHandTheRestToAnother() {
        HeldThreads threads = new HeldThreads();
        BatchingExecutor executor = new BatchingExecutor("t", threads, 1, () -> { });
        AtomicInteger ran = new AtomicInteger();
        executor.execute(() -> {
            throw new AssertionError("fatal");
        });
        executor.execute(ran::incrementAndGet);

        Runnable first = threads.held.poll();
        assertThatThrownBy(first::run).isInstanceOf(AssertionError.class);
        threads.runAll();

        assertThat(ran).hasValue(1);
        assertThat(executor.runners()).isZero();
    }

    @Test
    void shouldQueueWithoutWakingOnTheHeldThreadUntilReleased() {
        HeldThreads threads = new HeldThreads();
        BatchingExecutor executor = new BatchingExecutor("t", threads, Integer.MAX_VALUE, () -> { });
        executor.holdStartsOn(() -> true);   // as the I/O loop completing a pass's replies
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 64; i++) {
            executor.execute(ran::incrementAndGet);
        }
        assertThat(threads.lent).isZero();

        executor.release();   // the end of the pass
        assertThat(threads.lent).isEqualTo(1);
        threads.runAll();

        assertThat(ran).hasValue(64);
    }

    @Test
    void shouldRunTheDrainActionOnceForABurstThatDefersIt() {
        HeldThreads threads = new HeldThreads();
        AtomicInteger rings = new AtomicInteger();
        BatchingExecutor[] self = new BatchingExecutor[1];
        BatchingExecutor executor = new BatchingExecutor("t", threads, 1, rings::incrementAndGet);
        self[0] = executor;
        AtomicInteger runnerCalls = new AtomicInteger();
        for (int i = 0; i < 64; i++) {
            executor.execute(() -> {
                if (self[0].isRunner()) {
                    runnerCalls.incrementAndGet();
                }
                self[0].deferUntilDrained();   // as a callback that sends the next request
            });
        }

        threads.runAll();

        assertThat(runnerCalls).hasValue(64);
        // once as the last task is taken (for the tasks before it), once for the last task's own: not 64 times
        assertThat(rings).as("doorbells for the burst").hasValueBetween(1, 2);
        assertThat(executor.isRunner()).isFalse();
    }

    @Test
    void shouldPayTheDrainActionWhileTheTaskThatDeferredItBlocks() throws Exception {
        CountDownLatch rung = new CountDownLatch(1);
        BatchingExecutor executor = new BatchingExecutor("t", pool, Integer.MAX_VALUE, rung::countDown);
        CountDownLatch othersQueued = new CountDownLatch(1);
        CompletableFuture<Boolean> blocked = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                othersQueued.await(5, TimeUnit.SECONDS);
                executor.deferUntilDrained();
                blocked.complete(rung.await(5, TimeUnit.SECONDS));   // as a callback waiting for its own request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 100; i++) {
            executor.execute(() -> { });
        }
        othersQueued.countDown();

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldRefuseAMaxBelowOne() {
        assertThatThrownBy(() -> new BatchingExecutor("t", pool, 0, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRunners must be >= 1");
    }
}
