package io.courier.store;

import io.courier.core.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DurableStore} writes. Immutable; validated on construction ({@link ConfigException} naming the
 * setting). Start from {@link #defaults()} and change what you need with the {@code withXxx} methods.
 *
 * @param syncPolicy when the log is fsynced, and so what a confirmed write survives (see {@link SyncPolicy})
 * @param syncInterval the fsync period under {@link SyncPolicy#INTERVAL}; ignored by the other policies
 * @param mailboxCapacity how many writes may be submitted and not yet confirmed; one more fails fast with
 *     {@code BACKPRESSURE}. This is the window of unconfirmed writes the latency figures are stated at.
 * @param maxBatchWrites most submitted writes one group commit applies
 * @param maxBatchBytes a group commit stops taking writes once their payloads reach this many bytes
 * @param memtableBytes RocksDB write buffer size per column family; a full one is flushed to a table file
 * @param closeTimeout how long {@link DurableStore#close()} waits for pending writes, the last sync and the flush
 * @param metrics hooks told about batches and rejections
 */
public record StoreSettings(SyncPolicy syncPolicy, Duration syncInterval, int mailboxCapacity, int maxBatchWrites,
                            long maxBatchBytes, long memtableBytes, Duration closeTimeout, StoreMetrics metrics) {

    public StoreSettings {
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(metrics, "metrics");
        requirePositive("syncInterval", syncInterval);
        requirePositive("closeTimeout", closeTimeout);
        if (mailboxCapacity < 1) {
            throw new ConfigException("store mailboxCapacity must be >= 1 [mailboxCapacity=" + mailboxCapacity + "]");
        }
        if (maxBatchWrites < 1) {
            throw new ConfigException("store maxBatchWrites must be >= 1 [maxBatchWrites=" + maxBatchWrites + "]");
        }
        if (maxBatchBytes < 1) {
            throw new ConfigException("store maxBatchBytes must be >= 1 [maxBatchBytes=" + maxBatchBytes + "]");
        }
        if (memtableBytes < 64 * 1024) {
            throw new ConfigException("store memtableBytes must be >= 65536 [memtableBytes=" + memtableBytes + "]");
        }
    }

    /**
     * Fsync every batch, 16,384 unconfirmed writes at most, batches of up to 4,096 writes or 4 MiB, 64 MiB
     * memtables, 10 s to close, no metrics.
     */
    public static StoreSettings defaults() {
        return new StoreSettings(SyncPolicy.ALWAYS, Duration.ofMillis(10), 16_384, 4_096, 4L << 20, 64L << 20,
            Duration.ofSeconds(10), StoreMetrics.NONE);
    }

    public StoreSettings withSyncPolicy(SyncPolicy policy) {
        return new StoreSettings(policy, syncInterval, mailboxCapacity, maxBatchWrites, maxBatchBytes, memtableBytes,
            closeTimeout, metrics);
    }

    public StoreSettings withSyncInterval(Duration interval) {
        return new StoreSettings(syncPolicy, interval, mailboxCapacity, maxBatchWrites, maxBatchBytes, memtableBytes,
            closeTimeout, metrics);
    }

    public StoreSettings withMailboxCapacity(int capacity) {
        return new StoreSettings(syncPolicy, syncInterval, capacity, maxBatchWrites, maxBatchBytes, memtableBytes,
            closeTimeout, metrics);
    }

    public StoreSettings withMaxBatchWrites(int writes) {
        return new StoreSettings(syncPolicy, syncInterval, mailboxCapacity, writes, maxBatchBytes, memtableBytes,
            closeTimeout, metrics);
    }

    public StoreSettings withMaxBatchBytes(long bytes) {
        return new StoreSettings(syncPolicy, syncInterval, mailboxCapacity, maxBatchWrites, bytes, memtableBytes,
            closeTimeout, metrics);
    }

    public StoreSettings withMemtableBytes(long bytes) {
        return new StoreSettings(syncPolicy, syncInterval, mailboxCapacity, maxBatchWrites, maxBatchBytes, bytes,
            closeTimeout, metrics);
    }

    public StoreSettings withCloseTimeout(Duration timeout) {
        return new StoreSettings(syncPolicy, syncInterval, mailboxCapacity, maxBatchWrites, maxBatchBytes,
            memtableBytes, timeout, metrics);
    }

    public StoreSettings withMetrics(StoreMetrics hooks) {
        return new StoreSettings(syncPolicy, syncInterval, mailboxCapacity, maxBatchWrites, maxBatchBytes,
            memtableBytes, closeTimeout, hooks);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException("store " + name + " must be positive [" + name + "=" + value + "]");
        }
    }
}
