package io.courier.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.CourierException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class GroupCommitTest {
    private static final int SUBMITTERS = 8;

    @TempDir
    Path dir;

    private final ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);

    @AfterEach
    void stop() {
        submitters.shutdownNow();
    }

    @Test
    void shouldCommitConcurrentWritesInFarFewerBatchesThanWrites() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults().withMetrics(metrics))) {
            List<CompletableFuture<Void>> writes = submitConcurrently(store, 500);

            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, SECONDS);
        }

        assertThat(metrics.writes.get()).isEqualTo(SUBMITTERS * 500);
        assertThat(metrics.syncs.get()).isEqualTo(metrics.batches.get());   // sync=always: one fsync per batch
        assertThat(metrics.batches.get()).isLessThanOrEqualTo(SUBMITTERS * 500 / 4);
    }

    @Test
    void shouldTakeEverythingQueuedDuringASyncIntoTheNextBatch() throws Exception {
        StallingMetrics stall = new StallingMetrics();
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults().withMetrics(stall))) {
            CompletableFuture<Void> first = store.putMessage("q", 0, new byte[64]);
            stall.awaitStalled();                                     // the writer is busy with batch 1
            List<CompletableFuture<Void>> writes = submitConcurrently(store, 250);

            stall.release();

            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, SECONDS);
            first.get(5, SECONDS);
        }
        assertThat(stall.writes.get()).isEqualTo(1 + SUBMITTERS * 250);
        assertThat(stall.batches.get()).isEqualTo(2);   // batch 1, then all 2,000 queued meanwhile in one commit
    }

    @Test
    void shouldFailFastWithBackpressureWhenTheMailboxIsFull() throws Exception {
        StallingMetrics stall = new StallingMetrics();
        StoreSettings settings = StoreSettings.defaults().withMailboxCapacity(8).withMetrics(stall);
        try (DurableStore store = DurableStore.open(dir, settings)) {
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            accepted.add(store.putMessage("q", 0, new byte[8]));
            stall.awaitStalled();
            for (long seq = 1; seq < 8; seq++) {
                accepted.add(store.putMessage("q", seq, new byte[8]));
            }

            CompletableFuture<Void> rejected = store.putMessage("q", 8, new byte[8]);

            assertThat(rejected).isCompletedExceptionally();           // already failed when the call returned
            assertThatThrownBy(rejected::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CourierException.class).hasMessageContaining("mailboxCapacity")
                .satisfies(e -> assertThat(((CourierException) e).reason())
                    .isEqualTo(CourierException.Reason.BACKPRESSURE));
            assertThat(stall.rejected.get()).isEqualTo(1);
            assertThat(store.pendingWrites()).isEqualTo(8);

            stall.release();
            CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(10, SECONDS);
            store.putMessage("q", 8, new byte[8]).get(5, SECONDS);   // room again once confirmed
        }
    }

    /** {@link #SUBMITTERS} threads each put {@code perThread} messages without waiting; all are queued on return. */
    private List<CompletableFuture<Void>> submitConcurrently(DurableStore store, int perThread) throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<Void>> writes = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < SUBMITTERS; t++) {
            String queue = "q" + t;
            done.add(submitters.submit(() -> {
                start.await();
                for (long seq = 1; seq <= perThread; seq++) {
                    writes.add(store.putMessage(queue, seq, new byte[64]));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(10, SECONDS);
        }
        return new ArrayList<>(writes);
    }
}
