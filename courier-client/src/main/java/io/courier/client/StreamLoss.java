package io.courier.client;

import java.util.Objects;

/**
 * Messages {@code fromSeq} to {@code toSeq} (inclusive) of stream {@code topic} will never be delivered to this
 * subscription; {@code reason} says why (not retained any more, {@code client buffer full}, {@code broker
 * restarted; sequence numbers restart}, ...). A {@code toSeq} of {@link Long#MAX_VALUE} means "everything after
 * {@code fromSeq} of the old numbering". Immutable and thread-safe.
 */
public record StreamLoss(String topic, long fromSeq, long toSeq, String reason) {
    public StreamLoss {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(reason, "reason");
        if (fromSeq > toSeq) {
            throw new IllegalArgumentException("fromSeq must be <= toSeq [fromSeq=" + fromSeq + ", toSeq=" + toSeq
                    + "]");
        }
    }
}
