package io.courier.store;

import java.util.List;
import java.util.Map;

/**
 * Everything a store held when it was opened: per queue, every message not yet deleted, in sequence order, and the
 * metadata entries. Immutable.
 *
 * @param queues queue name to its messages in ascending sequence order; queues with no message are absent
 * @param metadata metadata key to value, as last put
 */
public record Recovered(Map<String, List<StoredMessage>> queues, Map<String, byte[]> metadata) {
    public Recovered {
        queues = Map.copyOf(queues);
        metadata = Map.copyOf(metadata);
    }

    /** How many messages there are across all queues. */
    public int messageCount() {
        int count = 0;
        for (List<StoredMessage> messages : queues.values()) {
            count += messages.size();
        }
        return count;
    }
}
