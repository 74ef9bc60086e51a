package io.courier.broker.queue;

import io.courier.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The policy of one durable queue. Immutable; validated on construction, each error naming its key.
 *
 * @param maxMessages     most messages the queue holds (ready, delayed and in flight); more are refused FULL
 * @param maxBytes        most bytes the queue holds: body frames plus encoded headers per message
 * @param ackTimeout      how long a consumer has to ack or nack a delivery before it goes to another consumer
 * @param maxDeliver      how many times the queue hands out a message before it dead-letters it instead
 * @param ttl             how long a message may wait in the queue; zero for no limit. A producer may ask for
 *                        less per message, never more
 * @param expiredPolicy   whether an expired message is dead-lettered or dropped
 * @param dedupWindow     how long a producer message id is remembered to refuse a duplicate; zero turns it off
 * @param dedupMaxIds     most producer message ids remembered at once; past it the oldest is forgotten before its
 *                        window ends
 * @param deadLetterQueue the queue that takes this one's dead letters; empty means the queue's name plus
 *                        {@code .dlq}
 */
public record QueueSettings(int maxMessages, long maxBytes, Duration ackTimeout, int maxDeliver, Duration ttl,
                            ExpiredPolicy expiredPolicy, Duration dedupWindow, int dedupMaxIds,
                            String deadLetterQueue) {
    /** What {@link #deadLetterQueueOf} appends to a queue's name when {@code deadLetterQueue} is empty. */
    public static final String DLQ_SUFFIX = ".dlq";
    /** The longest queue name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;
    /** The most ids a queue's duplicate index may be set to hold: about 16 GB of heap. */
    public static final int MAX_DEDUP_IDS = 100_000_000;
    private static final Duration MAX_DURATION = Duration.ofDays(365 * 100L);

    public QueueSettings {
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(expiredPolicy, "expiredPolicy");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
        if (maxMessages < 1) {
            throw new ConfigException("maxMessages must be >= 1 [maxMessages=" + maxMessages + "]");
        }
        if (maxBytes < 1) {
            throw new ConfigException("maxBytes must be >= 1 [maxBytes=" + maxBytes + "]");
        }
        if (ackTimeout.toMillis() < 1 || ackTimeout.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException("ackTimeout must be 1ms to 100 years [ackTimeout=" + ackTimeout + "]");
        }
        if (maxDeliver < 1) {
            throw new ConfigException("maxDeliver must be >= 1 [maxDeliver=" + maxDeliver + "]");
        }
        if (ttl.isNegative() || ttl.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException("ttl must be 0 (none) to 100 years [ttl=" + ttl + "]");
        }
        if (dedupWindow.isNegative() || dedupWindow.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException("dedupWindow must be 0 (off) to 100 years [dedupWindow=" + dedupWindow + "]");
        }
        if (dedupMaxIds < 1 || dedupMaxIds > MAX_DEDUP_IDS) {
            throw new ConfigException("dedupMaxIds must be 1 to " + MAX_DEDUP_IDS + " [dedupMaxIds=" + dedupMaxIds
                    + "]");
        }
        if (deadLetterQueue.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new ConfigException("deadLetterQueue must be at most " + MAX_NAME_BYTES
                    + " bytes [deadLetterQueue=" + deadLetterQueue + "]");
        }
    }

    /**
     * 100,000 messages and 256 MiB per queue, 30 s to ack, 10 deliveries, no ttl (expired messages dead-lettered
     * when one is set), a 2-minute duplicate window of at most 1,000,000 ids, dead letters to {@code <name>.dlq}.
     */
    public static QueueSettings defaults() {
        return new QueueSettings(100_000, 256L * 1024 * 1024, Duration.ofSeconds(30), 10, Duration.ZERO,
                ExpiredPolicy.DEAD_LETTER, Duration.ofMinutes(2), 1_000_000, "");
    }

    /** The dead-letter queue of queue {@code queue} under these settings. */
    public String deadLetterQueueOf(String queue) {
        return deadLetterQueue.isEmpty() ? queue + DLQ_SUFFIX : deadLetterQueue;
    }

    public QueueSettings withMaxMessages(int value) {
        return new QueueSettings(value, maxBytes, ackTimeout, maxDeliver, ttl, expiredPolicy,
                dedupWindow, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withMaxBytes(long value) {
        return new QueueSettings(maxMessages, value, ackTimeout, maxDeliver, ttl, expiredPolicy,
                dedupWindow, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withAckTimeout(Duration value) {
        return new QueueSettings(maxMessages, maxBytes, value, maxDeliver, ttl, expiredPolicy,
                dedupWindow, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withMaxDeliver(int value) {
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, value, ttl, expiredPolicy,
                dedupWindow, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withTtl(Duration value) {
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, maxDeliver, value, expiredPolicy,
                dedupWindow, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withExpiredPolicy(ExpiredPolicy value) {
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, maxDeliver, ttl, value,
                dedupWindow, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withDedupWindow(Duration value) {
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, maxDeliver, ttl, expiredPolicy,
                value, dedupMaxIds, deadLetterQueue);
    }

    public QueueSettings withDedupMaxIds(int value) {
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, maxDeliver, ttl, expiredPolicy,
                dedupWindow, value, deadLetterQueue);
    }

    public QueueSettings withDeadLetterQueue(String value) {
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, maxDeliver, ttl, expiredPolicy,
                dedupWindow, dedupMaxIds, value);
    }
}
