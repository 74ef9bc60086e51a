package io.courier.broker.transport;

import io.courier.broker.stream.StreamCore;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PUBLISH_BATCH (docs/protocol.md 9.14): each entry is published as a PUBLISH would be, in order, and one
 * PUBACK_BATCH answers them all when the correlation id is not 0: the seq of each entry, or 0 for one refused
 * because it would have created a stream beyond maxStreams. Stateless; runs on the broker loop thread.
 */
final class BatchPublishing {
    private BatchPublishing() {
    }

    static void onPublishBatch(PeerId id, PublishBatch batch, StreamCore streams, SubscriberSender sink,
                               RouterOutbox out) {
        List<PublishBatch.Entry> entries = batch.entries();
        long[] seqs = new long[entries.size()];
        String lastTopic = null;
        byte[] topicBytes = null;
        for (int i = 0; i < seqs.length; i++) {
            PublishBatch.Entry e = entries.get(i);
            long seq = streams.publish(e.topic(), e.headers(), new byte[][] {e.body()});
            if (seq == StreamCore.REFUSED) {
                continue;   // 0: refused
            }
            seqs[i] = seq;
            if (!e.topic().equals(lastTopic)) {
                lastTopic = e.topic();
                topicBytes = lastTopic.getBytes(StandardCharsets.UTF_8);
            }
            sink.toPlainSubscribers(topicBytes, e.body());
        }
        if (batch.correlationId() != 0) {
            out.send(id, new PubAckBatch(batch.correlationId(), seqs));
        }
    }
}
