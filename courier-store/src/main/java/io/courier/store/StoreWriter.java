package io.courier.store;

import io.courier.core.CourierException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer: the loop of thread {@code courier-store}, which owns the database after open. Each pass
 * takes everything queued in the mailbox (up to the batch limits), applies it as one {@link WriteBatch}, syncs per
 * the {@link SyncPolicy} and hands the batch to the {@link Confirmer}. On the stop marker it writes what is still
 * queued, syncs, flushes and closes the database, then fails anything that arrives later.
 */
final class StoreWriter implements Runnable {
    static final String THREAD_NAME = "courier-store";
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final Database database;
    private final BlockingQueue<PendingWrite> mailbox;
    private final PendingWrite stop;
    private final Confirmer confirmer;
    private final StoreSettings settings;
    private final long intervalNanos;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Under {@link SyncPolicy#INTERVAL}: written, waiting for the sync that confirms them. */
    private final List<PendingWrite> unsynced = new ArrayList<>();
    private final List<PendingWrite> batch = new ArrayList<>();
    private long lastSyncNanos;
    private boolean stopping;
    private boolean failing;
    private volatile boolean closed;

    StoreWriter(Database database, BlockingQueue<PendingWrite> mailbox, PendingWrite stop, Confirmer confirmer,
                StoreSettings settings) {
        this.database = database;
        this.mailbox = mailbox;
        this.stop = stop;
        this.confirmer = confirmer;
        this.settings = settings;
        this.intervalNanos = settings.syncInterval().toNanos();
        this.lastSyncNanos = System.nanoTime() - intervalNanos;
    }

    @Override
    public void run() {
        try {
            loop();
            finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("store writer interrupted, closing without draining dir={}", database.directory());
        } catch (RuntimeException | Error e) {
            LOG.error("store writer failed dir={}", database.directory(), e);
        } finally {
            database.close();
            closed = true;
            failLeftovers();
            confirmer.shutdown();    // here, not in close(): a close that timed out still leaves no thread behind
            terminated.countDown();
        }
    }

    /** Any thread: true once the writer has ended and will take no more writes. */
    boolean isClosed() {
        return closed;
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    private void loop() throws InterruptedException {
        while (true) {
            PendingWrite first = next();
            if (first == null && stopping) {
                return;
            }
            if (first != null) {
                collect(first);
                if (!batch.isEmpty()) {
                    onBatchGuarded();
                }
            }
            if (!unsynced.isEmpty() && System.nanoTime() - lastSyncNanos >= intervalNanos) {
                onIntervalSync();
            }
        }
    }

    /** The next write: none left when stopping; else waits, forever or until an interval sync is due. */
    private PendingWrite next() throws InterruptedException {
        if (stopping) {
            return mailbox.poll();
        } else if (unsynced.isEmpty()) {
            return mailbox.take();
        }
        return mailbox.poll(Math.max(0, lastSyncNanos + intervalNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void collect(PendingWrite first) {
        batch.clear();
        long bytes = 0;
        PendingWrite write = first;
        while (write != null) {
            if (write == stop) {
                stopping = true;
            } else {
                batch.add(write);
                bytes += write.bytes;
            }
            if (batch.size() >= settings.maxBatchWrites() || bytes >= settings.maxBatchBytes()) {
                return;
            }
            write = mailbox.poll();
        }
    }

    /** A bug or a surprise from RocksDB fails this batch, never the loop, and never leaves a future hanging. */
    private void onBatchGuarded() {
        try {
            onBatch();
        } catch (RuntimeException e) {
            LOG.error("store batch failed dir={} writes={}", database.directory(), batch.size(), e);
            confirmer.fail(batch, new StorageException("store in " + database.directory() + ": write failed: " + e, e));
        }
    }

    private void onBatch() {
        long start = System.nanoTime();
        try (WriteBatch rocksBatch = new WriteBatch()) {
            for (PendingWrite write : batch) {
                for (int i = 0; i < write.size(); i++) {
                    if (write.values[i] == null) {
                        rocksBatch.delete(database.family(write.families[i]), write.keys[i]);
                    } else {
                        rocksBatch.put(database.family(write.families[i]), write.keys[i], write.values[i]);
                    }
                }
            }
            database.write(rocksBatch);
        } catch (RocksDBException e) {
            failed(batch, "write", e);
            return;
        }
        long written = System.nanoTime();
        switch (settings.syncPolicy()) {
            case ALWAYS:
                if (!sync(batch)) {
                    return;
                }
                report(batch.size(), written - start, lastSyncNanos - written);
                confirmer.confirm(batch);
                break;
            case INTERVAL:
                report(batch.size(), written - start, 0);
                unsynced.addAll(batch);
                break;
            case NEVER:
                report(batch.size(), written - start, 0);
                confirmer.confirm(batch);
                break;
            default:
                throw new IllegalStateException("unknown sync policy " + settings.syncPolicy());
        }
        recovered();
    }

    private void onIntervalSync() {
        long start = System.nanoTime();
        if (sync(unsynced)) {
            report(0, 0, lastSyncNanos - start);
            confirmer.confirm(unsynced);
            recovered();
        }
        unsynced.clear();
    }

    /** Fsyncs the log; on failure fails {@code covered} and returns false. Sets {@link #lastSyncNanos}. */
    private boolean sync(List<PendingWrite> covered) {
        try {
            database.sync();
            lastSyncNanos = System.nanoTime();
            return true;
        } catch (RocksDBException e) {
            lastSyncNanos = System.nanoTime();
            failed(covered, "sync", e);
            return false;
        }
    }

    private void finish() {
        if (!unsynced.isEmpty()) {
            onIntervalSync();
        } else if (settings.syncPolicy() == SyncPolicy.NEVER) {
            sync(List.of());
        }
        try {
            database.flush();
        } catch (RocksDBException e) {
            // Everything is synced in the log already; the next open replays it instead of reading table files.
            LOG.warn("store flush at close failed dir={} error={}", database.directory(), e.getMessage());
        }
    }

    /** Metrics hooks are the user's code: one that throws must not cost a write its confirmation. */
    private void report(int writes, long writeNanos, long syncNanos) {
        try {
            settings.metrics().onBatch(writes, writeNanos, syncNanos);
        } catch (RuntimeException e) {
            LOG.warn("store metrics hook failed dir={} error={}", database.directory(), e.toString());
        }
    }

    private void failed(List<PendingWrite> writes, String operation, RocksDBException e) {
        if (!failing) {
            LOG.error("store {} failed dir={} writes={} error={}", operation, database.directory(), writes.size(),
                e.getMessage());
            failing = true;
        }
        confirmer.fail(writes, Database.failure(database.directory(), operation, e));
    }

    private void recovered() {
        if (failing) {
            LOG.info("store writes succeed again dir={}", database.directory());
            failing = false;
        }
    }

    private void failLeftovers() {
        List<PendingWrite> leftovers = new ArrayList<>(unsynced);
        unsynced.clear();
        for (PendingWrite write; (write = mailbox.poll()) != null; ) {
            if (write != stop) {
                leftovers.add(write);
            }
        }
        if (!leftovers.isEmpty()) {
            confirmer.fail(leftovers, new CourierException(CourierException.Reason.CLOSED, "store write: the store"
                + " in " + database.directory() + " is closed"));
        }
    }
}
