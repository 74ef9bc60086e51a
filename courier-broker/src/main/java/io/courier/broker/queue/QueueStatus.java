package io.courier.broker.queue;

import java.util.List;

/** What the queue core holds at one instant, for the status document and metrics. Immutable. */
public record QueueStatus(List<QueueView> queues, List<ConsumerView> consumers) {

    /**
     * One queue: what it holds now and its counters since the broker started (restored messages are not counted
     * as enqueued).
     *
     * @param depth        messages waiting: ready plus delayed
     * @param delayed      of those, messages waiting out a nack's delay
     * @param unacked      messages with a consumer
     * @param consumers    consumers attached
     * @param deadLetters  messages now in this queue's dead-letter queue (0 when it is its own)
     * @param bytes        bytes held: ready, delayed and in flight
     * @param enqueued     messages that arrived: accepted from producers, dead-lettered into it, replayed into it
     * @param duplicates   enqueues answered DUPLICATE
     * @param refused      enqueues answered FULL
     * @param acked        messages acked
     * @param redelivered  deliveries of a message already handed out before
     * @param deadLettered messages it sent to its dead-letter queue (rejected, max deliveries, expired)
     * @param expired      messages that expired waiting, whatever the policy did with them
     * @param dropped      messages discarded: expired under the DROP policy, purged
     * @param replayed     messages it sent back to their original queue (as a dead-letter queue)
     * @param dedupIds     producer message ids remembered now to answer duplicates
     * @param dedupEvicted ids forgotten before their dedupWindow ended because dedupMaxIds were held
     */
    public record QueueView(String name, int depth, int delayed, int unacked, int consumers, int deadLetters,
                            long bytes, long enqueued, long duplicates, long refused, long acked, long redelivered,
                            long deadLettered, long expired, long dropped, long replayed, int dedupIds,
                            long dedupEvicted) {
    }

    /** One consumer: its queue, its prefetch (credit when nothing is unacked) and what it holds now. */
    public record ConsumerView(ConsumerKey key, String queue, int prefetch, int unacked, long delivered) {
    }
}
