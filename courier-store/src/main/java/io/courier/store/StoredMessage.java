package io.courier.store;

import java.util.Objects;

/**
 * One message read back from the store at open: its sequence within its queue, its payload as it was written, and
 * its delivery state. Records compare payloads by identity; compare contents with {@code Arrays.equals}.
 *
 * @param sequence the sequence the queue gave it when it was put
 * @param payload the bytes given to {@link DurableStore#putMessage}, opaque to the store
 * @param deliveryCount how many times it was handed to a consumer, as last recorded
 * @param state its state as last recorded
 */
public record StoredMessage(long sequence, byte[] payload, int deliveryCount, MessageState state) {
    public StoredMessage {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(state, "state");
    }
}
