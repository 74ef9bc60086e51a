package io.courier.client;

/**
 * The broker's confirmation of an enqueued message: it is stored (on disk under the broker's sync policy) and will
 * be delivered at least once. Immutable.
 *
 * @param queue     the queue it went to
 * @param seq       its sequence number in the queue
 * @param duplicate true when the broker already held a message with the same producer message id (within the
 *                  queue's {@code dedupWindow}) and stored nothing new: an earlier send of the same id, by the
 *                  application or by the client's own resend after a lost connection; {@code seq} is then the
 *                  original's
 * @param messageId the producer message id that was sent (the application's, or the random one the client made)
 */
public record EnqueueReceipt(String queue, long seq, boolean duplicate, String messageId) {
}
