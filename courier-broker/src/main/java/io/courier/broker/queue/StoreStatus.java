package io.courier.broker.queue;

import java.nio.file.Path;

/**
 * The durable store under the queues, as the status document shows it ({@link StoreJournal#status()}).
 *
 * @param directory     where the store keeps its files
 * @param pendingWrites writes submitted to the store and not yet done
 * @param writeFailures how many store writes failed
 * @param failed        whether a store write failed (for another reason than backpressure or closing): enqueues
 *                      are refused from then on
 */
public record StoreStatus(Path directory, int pendingWrites, long writeFailures, boolean failed) {
}
