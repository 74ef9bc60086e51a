package io.courier.broker.transport;

import io.courier.broker.pubsub.EventSink;
import io.courier.broker.pubsub.StreamMessage;
import io.courier.broker.rr.PeerId;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.util.HashMap;
import java.util.Map;
import org.zeromq.ZMQ;

/**
 * Where the streams core's output goes: EVENT, LOSS, SUBSCRIBED and UNSUBSCRIBED to Courier subscribers on the
 * frontend ROUTER, and every published message once more, as plain frames, to the subscribe XPUB for plain
 * ZeroMQ SUB sockets. Never blocks. Confined to the broker loop thread.
 */
final class StreamSink implements EventSink {
    private static final int MAX_HEADS_BYTES = 60_000;

    private final RouterOutbox out;
    private final ZMQ.Socket plainSubscribers;

    StreamSink(RouterOutbox out, ZMQ.Socket plainSubscribers) {
        this.out = out;
        this.plainSubscribers = plainSubscribers;
    }

    @Override
    public boolean event(PeerId peer, long subscriptionId, StreamMessage m) {
        return out.send(peer, new Event(subscriptionId, m.topic(), m.seq(), m.timestampMillis(), m.headers(),
                m.body()), true);
    }

    @Override
    public boolean loss(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq, String reason) {
        return out.send(peer, new Loss(subscriptionId, topic, fromSeq, toSeq, reason), true);
    }

    @Override
    public void subscribed(PeerId peer, long subscriptionId, Map<String, Long> heads) {
        out.send(peer, new Subscribed(subscriptionId, bounded(heads)));
    }

    @Override
    public void unsubscribed(PeerId peer, long subscriptionId, String reason) {
        out.send(peer, new Unsubscribed(subscriptionId, reason));
    }

    /** Sends a message published by a Courier client to the plain SUB sockets too, as {@code [topic, body]}. */
    void toPlainSubscribers(byte[] topic, byte[] body) {
        plainSubscribers.send(topic, ZMQ.SNDMORE | ZMQ.DONTWAIT);
        plainSubscribers.send(body, ZMQ.DONTWAIT);
    }

    /** The heads sent in SUBSCRIBED, cut short of the frame size limit when a wide prefix matches many streams. */
    private static Map<String, Long> bounded(Map<String, Long> heads) {
        Map<String, Long> kept = new HashMap<>();
        int bytes = 0;
        for (Map.Entry<String, Long> e : heads.entrySet()) {
            bytes += e.getKey().length() * 3 + 24;
            if (bytes > MAX_HEADS_BYTES) {
                break;
            }
            kept.put(e.getKey(), e.getValue());
        }
        return kept;
    }
}
