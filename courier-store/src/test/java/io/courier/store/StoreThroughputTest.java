package io.courier.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A quick measurement, not a benchmark with a verdict: confirmed 64-byte writes per second with 8 submitters under
 * sync=always, each keeping a window of unconfirmed writes in flight. Reports; asserts only that writes completed.
 * Run it by hand: {@code ./mvnw -o -pl courier-store test -Dtest=StoreThroughputTest -Dstore.excludedGroups=none}.
 */
@Tag("slow")
@Timeout(120)
class StoreThroughputTest {
    private static final int SUBMITTERS = 8;
    private static final long WARMUP_NANOS = SECONDS.toNanos(3);
    private static final long MEASURE_NANOS = SECONDS.toNanos(10);

    @TempDir
    Path dir;


    @ParameterizedTest(name = "window per submitter {0}")
    @ValueSource(ints = {64, 1_024})
    void shouldReportConfirmedWritesPerSecondUnderSyncAlways(int windowPerSubmitter) throws Exception {
        System.out.printf("store throughput: this disk does %,d appending fsyncs/s right now%n", fsyncsPerSecond());
        CountingMetrics metrics = new CountingMetrics();
        AtomicLong confirmed = new AtomicLong();
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults().withMetrics(metrics))) {
            long start = System.nanoTime();
            long measureFrom = start + WARMUP_NANOS;
            long end = measureFrom + MEASURE_NANOS;
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                String queue = "bench-" + t;
                running.add(submitters.submit(() -> submit(store, queue, windowPerSubmitter, end, confirmed)));
            }
            waitUntil(measureFrom);
            long confirmedBefore = confirmed.get();
            int batchesBefore = metrics.batches.get();
            int writesBefore = metrics.writes.get();
            long syncNanosBefore = metrics.syncNanos.get();
            long writeNanosBefore = metrics.writeNanos.get();
            waitUntil(end);
            long measured = confirmed.get() - confirmedBefore;
            int batches = metrics.batches.get() - batchesBefore;
            int writes = metrics.writes.get() - writesBefore;
            long syncNanos = metrics.syncNanos.get() - syncNanosBefore;
            long writeNanos = metrics.writeNanos.get() - writeNanosBefore;
            for (Future<?> future : running) {
                future.get(30, SECONDS);
            }
            double seconds = MEASURE_NANOS / 1e9;
            System.out.printf("store throughput: %,.0f confirmed 64-byte writes/s (sync=always, %d submitters,"
                    + " window %d): %,d batches/s, %.1f writes/batch, per batch: write %.0f us, fsync %.0f us%n",
                measured / seconds, SUBMITTERS, SUBMITTERS * windowPerSubmitter, Math.round(batches / seconds),
                (double) writes / Math.max(1, batches), writeNanos / 1e3 / Math.max(1, batches),
                syncNanos / 1e3 / Math.max(1, batches));
            assertThat(measured).isPositive();
        } finally {
            submitters.shutdownNow();
        }
    }

    private static Void submit(DurableStore store, String queue, int windowPerSubmitter, long end,
                               AtomicLong confirmed) throws Exception {
        Semaphore window = new Semaphore(windowPerSubmitter);
        byte[] payload = new byte[64];
        for (long seq = 0; System.nanoTime() < end; seq++) {
            window.acquire();
            store.putMessage(queue, seq, payload).whenComplete((ok, error) -> {
                if (error == null) {
                    confirmed.incrementAndGet();
                }
                window.release();
            });
        }
        window.acquire(windowPerSubmitter);   // everything in flight completed
        return null;
    }

    /** Appends of 100 bytes, each followed by fdatasync, for one second: the write rate without batching. */
    private long fsyncsPerSecond() throws Exception {
        long end = System.nanoTime() + SECONDS.toNanos(1);
        long count = 0;
        try (FileChannel channel = FileChannel.open(dir.resolve("fsync-probe"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (; System.nanoTime() < end; count++) {
                channel.write(ByteBuffer.allocate(100));
                channel.force(false);
            }
        }
        return count;
    }

    /** Waits out a measurement phase; a timed wait on a latch nobody opens, not a sleep standing in for a check. */
    private static void waitUntil(long nanoTime) throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            never.await(left, TimeUnit.NANOSECONDS);
        }
    }
}
