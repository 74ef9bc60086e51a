package io.courier.store;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the store reports: batches that applied writes, writes, syncs, rejections. */
class CountingMetrics implements StoreMetrics {
    final AtomicInteger batches = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger syncs = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicLong writeNanos = new AtomicLong();
    final AtomicLong syncNanos = new AtomicLong();

    @Override
    public void onBatch(int count, long writeTook, long syncTook) {
        writeNanos.addAndGet(writeTook);
        if (count > 0) {
            batches.incrementAndGet();
            writes.addAndGet(count);
        }
        if (syncTook > 0) {
            syncs.incrementAndGet();
            syncNanos.addAndGet(syncTook);
        }
    }

    @Override
    public void onRejected() {
        rejected.incrementAndGet();
    }
}
