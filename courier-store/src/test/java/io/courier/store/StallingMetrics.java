package io.courier.store;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Metrics that hold the writer thread inside its first batch until released: a stand-in for a slow disk, so that
 * tests can fill the mailbox or time out a close deterministically. Also counts like {@code CountingMetrics}.
 */
final class StallingMetrics extends CountingMetrics {
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void onBatch(int count, long writeNanos, long syncNanos) {
        super.onBatch(count, writeNanos, syncNanos);
        stalled.countDown();
        try {
            if (!released.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the stalled writer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void awaitStalled() throws InterruptedException {
        if (!stalled.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the writer never reached its first batch");
        }
    }

    void release() {
        released.countDown();
    }
}
