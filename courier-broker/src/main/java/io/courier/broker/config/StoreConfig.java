package io.courier.broker.config;

import io.courier.core.ConfigException;
import io.courier.core.Durations;
import io.courier.store.StoreMetrics;
import io.courier.store.StoreSettings;
import io.courier.store.SyncPolicy;
import java.time.Duration;

/**
 * The durable store of queues ({@code store.*}): when its log is fsynced, how many writes may wait unconfirmed,
 * and how many one group commit takes. Immutable; validated on construction, naming the key. Read at start only:
 * a change takes effect after a restart.
 *
 * @param syncPolicy      {@code always} (fsync before every confirm), {@code interval} or {@code never}
 * @param syncInterval    the fsync period under {@code interval}
 * @param mailboxCapacity most store writes submitted and not yet done; past it, enqueues are refused (429)
 * @param maxBatchWrites  most writes one group commit applies
 */
public record StoreConfig(SyncPolicy syncPolicy, Duration syncInterval, int mailboxCapacity, int maxBatchWrites) {
    public StoreConfig {
        if (syncPolicy == null) {
            throw new ConfigException("store.syncPolicy: must be given (always, interval or never)");
        }
        if (syncInterval == null || syncInterval.isZero() || syncInterval.isNegative()) {
            throw new ConfigException("store.syncInterval: must be a positive duration, got "
                    + (syncInterval == null ? "none" : Durations.format(syncInterval)));
        }
        if (syncInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException("store.syncInterval: must be at most 1m, got " + Durations.format(syncInterval));
        }
        if (mailboxCapacity < 1) {
            throw new ConfigException("store.mailboxCapacity: must be >= 1, got " + mailboxCapacity);
        }
        if (maxBatchWrites < 1) {
            throw new ConfigException("store.maxBatchWrites: must be >= 1, got " + maxBatchWrites);
        }
    }

    /** The store's own defaults: fsync always, 10ms interval, 16,384 pending writes, batches of 4,096. */
    public static StoreConfig defaults() {
        StoreSettings d = StoreSettings.defaults();
        return new StoreConfig(d.syncPolicy(), d.syncInterval(), d.mailboxCapacity(), d.maxBatchWrites());
    }

    /** The store's settings, with {@code metrics} as its hooks. */
    public StoreSettings settings(StoreMetrics metrics) {
        return StoreSettings.defaults().withSyncPolicy(syncPolicy).withSyncInterval(syncInterval)
                .withMailboxCapacity(mailboxCapacity).withMaxBatchWrites(maxBatchWrites).withMetrics(metrics);
    }

    public StoreConfig withSyncPolicy(SyncPolicy value) {
        return new StoreConfig(value, syncInterval, mailboxCapacity, maxBatchWrites);
    }
}
