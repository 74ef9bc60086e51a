package io.courier.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One change to the store. {@link DurableStore#write} applies a list of them atomically: all or none survive a crash.
 * Each record validates itself on construction ({@link IllegalArgumentException} for a bad queue name, sequence,
 * count or key), so a bad write fails on the caller's thread, never on the writer's.
 */
public sealed interface StoreWrite {
    /** Longest queue name, in UTF-8 bytes. */
    int MAX_QUEUE_NAME_BYTES = 1024;
    /** Metadata keys starting with this are the store's own; callers cannot write them. */
    String RESERVED_PREFIX = "store.";

    /** Stores a message with delivery count 0 and state {@link MessageState#READY}; replaces one with that key. */
    record PutMessage(String queue, long sequence, byte[] payload) implements StoreWrite {
        public PutMessage {
            checkMessageKey(queue, sequence);
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** Removes a message and its state (an ack, or a move to a dead-letter queue). Absent keys are fine. */
    record DeleteMessage(String queue, long sequence) implements StoreWrite {
        public DeleteMessage {
            checkMessageKey(queue, sequence);
        }
    }

    /** Records a message's delivery count and state. Writing it for an absent message leaves a stray entry that the
     * next open ignores (and logs), so queue logic should not, but a race with an ack is harmless. */
    record UpdateState(String queue, long sequence, int deliveryCount, MessageState state) implements StoreWrite {
        public UpdateState {
            checkMessageKey(queue, sequence);
            if (deliveryCount < 0) {
                throw new IllegalArgumentException("deliveryCount must be >= 0 [deliveryCount=" + deliveryCount + "]");
            }
            Objects.requireNonNull(state, "state");
        }
    }

    /** Stores a metadata entry (queue definitions, cursors, anything the broker keeps beside the messages). */
    record PutMetadata(String key, byte[] value) implements StoreWrite {
        public PutMetadata {
            checkMetadataKey(key);
            Objects.requireNonNull(value, "value");
        }
    }

    /** Removes a metadata entry. An absent key is fine. */
    record DeleteMetadata(String key) implements StoreWrite {
        public DeleteMetadata {
            checkMetadataKey(key);
        }
    }

    private static void checkMessageKey(String queue, long sequence) {
        Objects.requireNonNull(queue, "queue");
        int bytes = queue.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_QUEUE_NAME_BYTES) {
            throw new IllegalArgumentException("queue name must be 1.." + MAX_QUEUE_NAME_BYTES
                + " UTF-8 bytes [bytes=" + bytes + "]");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0 [sequence=" + sequence + "]");
        }
    }

    private static void checkMetadataKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("metadata key must be non-empty and not start with '"
                + RESERVED_PREFIX + "' [key=" + key + "]");
        }
    }
}
