package io.courier.broker.transport;

import io.courier.broker.stream.StoredStreams;
import io.courier.broker.stream.StreamMessage;
import io.courier.broker.queue.StoreJournal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What durable queues and durable streams start from: the journals over the opened store, and the queues and
 * streams read back from it, restored on the loop before it takes traffic. Handed from {@code Broker.start} to the
 * loop thread once; immutable.
 */
public record QueueBacking(StoreJournal journal, List<StoreJournal.Restored> restored, StoredStreams streamJournal,
                           Map<String, List<StreamMessage>> streams) {
    public QueueBacking {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(streamJournal, "streamJournal");
        restored = List.copyOf(restored);
        streams = Map.copyOf(streams);
    }
}
