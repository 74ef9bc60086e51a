package io.courier.store;

/**
 * Hooks the store calls as it works, to be bridged to Prometheus by the broker. All methods default to no-ops.
 *
 * <p>{@link #onBatch} runs on the {@code courier-store} writer thread and {@link #onRejected} on the submitting
 * thread: implementations must be thread-safe, quick and must never block (a slow hook stalls every write).
 */
public interface StoreMetrics {
    /** Records nothing. */
    StoreMetrics NONE = new StoreMetrics() { };

    /**
     * One group commit, or one interval sync.
     *
     * @param writes how many submitted writes the batch applied (0 for an interval sync that applied none)
     * @param writeNanos time to apply the batch to the log and memtables ({@code write(2)}, no fsync)
     * @param syncNanos time of the fsync that followed, 0 when this batch was not synced by itself
     */
    default void onBatch(int writes, long writeNanos, long syncNanos) {
    }

    /** A write was refused because {@code mailboxCapacity} writes were already pending. */
    default void onRejected() {
    }
}
