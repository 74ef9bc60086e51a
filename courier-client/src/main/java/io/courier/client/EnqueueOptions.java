package io.courier.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How one message is enqueued. Immutable and thread-safe; validated on construction ({@code IllegalArgumentException}
 * for a message id over 255 bytes of UTF-8, a negative ttl or one over 24 days, a timeout that is not positive or
 * over 24 days).
 *
 * @param messageId the producer's id of the message, which the broker uses to refuse a duplicate within the queue's
 *                  {@code dedupWindow}; empty (the default) means the client makes a unique one (its random prefix
 *                  and a counter). The id is sent again unchanged whenever the client resends the message after a
 *                  lost connection
 * @param ttl       how long the message may wait in the queue; zero (the default) means the queue's own. The shorter
 *                  of the two applies
 * @param timeout   how long to wait for the broker's confirmation, resends included; {@code null} (the default)
 *                  means the timeout of {@link ClientConfig#defaults()}
 */
public record EnqueueOptions(String messageId, Duration ttl, Duration timeout) {
    private static final int MAX_ID_BYTES = 255;
    private static final long MAX_MILLIS = Integer.MAX_VALUE;
    private static final EnqueueOptions DEFAULTS = new EnqueueOptions("", Duration.ZERO, null);

    public EnqueueOptions {
        messageId = messageId == null ? "" : messageId;
        ttl = ttl == null ? Duration.ZERO : ttl;
        if (messageId.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("messageId must be at most 255 bytes of UTF-8 [messageId="
                    + messageId + "]");
        }
        if (ttl.isNegative() || ttl.toMillis() > MAX_MILLIS) {
            throw new IllegalArgumentException("ttl must be 0 (the queue's own) to 24 days [ttl=" + ttl + "]");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > MAX_MILLIS)) {
            throw new IllegalArgumentException("timeout must be positive and under 24 days [timeout=" + timeout
                    + "]");
        }
    }

    /** A random message id, the queue's ttl, the client's default timeout. */
    public static EnqueueOptions defaults() {
        return DEFAULTS;
    }

    /** With the producer's own message id (duplicate detection across processes and restarts). */
    public EnqueueOptions withMessageId(String value) {
        return new EnqueueOptions(Objects.requireNonNull(value, "messageId"), ttl, timeout);
    }

    public EnqueueOptions withTtl(Duration value) {
        return new EnqueueOptions(messageId, Objects.requireNonNull(value, "ttl"), timeout);
    }

    public EnqueueOptions withTimeout(Duration value) {
        return new EnqueueOptions(messageId, ttl, Objects.requireNonNull(value, "timeout"));
    }
}
