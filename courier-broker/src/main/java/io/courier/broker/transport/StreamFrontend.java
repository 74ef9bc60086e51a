package io.courier.broker.transport;

import io.courier.broker.peer.PeerId;
import io.courier.broker.stream.StreamCore;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The stream commands of the native protocol (docs/protocol.md section 9) on the frontend: PUBLISH and
 * PUBLISH_BATCH go to the {@link StreamCore} and, as plain frames, to the plain SUB sockets; SUBSCRIBE,
 * UNSUBSCRIBE and REPLAY go to the core, which answers through the {@link SubscriberSender}. A publish that would
 * create a stream beyond {@code streams.maxStreams} is refused. Access control and peer tracking happened before.
 * Confined to the broker loop thread.
 */
final class StreamFrontend {
    private final StreamCore streams;
    private final SubscriberSender sink;
    private final RouterOutbox out;

    StreamFrontend(StreamCore streams, SubscriberSender sink, RouterOutbox out) {
        this.streams = streams;
        this.sink = sink;
        this.out = out;
    }

    /** PUBLISH: answered PUBACK with the seq, or QUEUE_FULL when refused, if its correlation id is not 0. */
    void onPublish(PeerId id, Publish publish) {
        long seq = streams.publish(publish.topic(), publish.headers(), new byte[][] {publish.body()});
        if (seq == StreamCore.REFUSED) {
            if (publish.correlationId() != 0) {
                out.send(id, new ErrorReply(publish.correlationId(), ErrorCode.QUEUE_FULL,
                        "publish to '" + publish.topic() + "' refused: the broker holds the most streams it may"));
            }
            return;
        }
        sink.toPlainSubscribers(publish.topic().getBytes(StandardCharsets.UTF_8), publish.body());
        if (publish.correlationId() != 0) {
            out.send(id, new PubAck(publish.correlationId(), publish.topic(), seq));
        }
    }

    /**
     * PUBLISH_BATCH (docs/protocol.md 9.14): each entry is published as a PUBLISH would be, in order, and one
     * PUBACK_BATCH answers them all when the correlation id is not 0: the seq of each entry, or 0 for one refused
     * because it would have created a stream beyond maxStreams.
     */
    void onPublishBatch(PeerId id, PublishBatch batch) {
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

    void onSubscribe(PeerId id, Subscribe sub) {
        streams.subscribe(id, sub.subscriptionId(), sub.prefix(), sub.start(),
                sub.startValue(), sub.policy(), sub.resume());
    }

    void onUnsubscribe(PeerId id, Unsubscribe unsubscribe) {
        streams.unsubscribe(id, unsubscribe.subscriptionId());
    }

    void onReplay(PeerId id, Replay r) {
        streams.replay(id, r.subscriptionId(), r.topic(), r.fromSeq(), r.toSeq());
    }
}
