package io.courier.broker.transport;

import io.courier.broker.stream.EventSink;
import io.courier.broker.stream.StreamCore;
import io.courier.broker.stream.StreamMessage;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.util.HashMap;
import java.util.Map;
import org.zeromq.ZMQ;

/**
 * Sends the streams core's output to subscribers (the broker's {@link EventSink}): EVENT, LOSS, SUBSCRIBED and
 * UNSUBSCRIBED to Courier subscribers on the frontend ROUTER, and every published message once more, as plain
 * frames, to the subscribe XPUB for plain ZeroMQ SUB sockets. EVENTs for clients that take batches are gathered
 * by an {@link EventBatcher} and leave at the end of the loop pass ({@link #flush}); a LOSS, SUBSCRIBED or
 * UNSUBSCRIBED first sends what is pending for its subscription, so that order holds. Never blocks. Confined to
 * the broker loop thread.
 */
final class SubscriberSender implements EventSink {
    private static final int MAX_HEADS_BYTES = 60_000;

    private final RouterOutbox out;
    private final ZMQ.Socket plainSubscribers;
    private final EventBatcher batcher;

    SubscriberSender(RouterOutbox out, ZMQ.Socket plainSubscribers) {
        this.out = out;
        this.plainSubscribers = plainSubscribers;
        this.batcher = new EventBatcher(out);
    }

    /** The peer's HELLO said whether it takes EVENT_BATCH. */
    void onHello(PeerId peer, boolean batches) {
        batcher.onHello(peer, batches);
    }

    /**
     * End of a loop pass: sends the pending batches, then tells {@code streams} what a refused one held, so that
     * it lags (or ends) the subscriptions from the first seq that did not leave.
     */
    void flush(StreamCore streams) {
        for (EventBatcher.Undelivered u : batcher.flushAll()) {
            streams.onUndelivered(u.peer(), u.subscriptionId(), u.topic(), u.fromSeq(), u.toSeq(), u.replay());
        }
    }

    @Override
    public boolean event(PeerId peer, long subscriptionId, StreamMessage m) {
        return send(peer, subscriptionId, m, false);
    }

    @Override
    public boolean replayEvent(PeerId peer, long subscriptionId, StreamMessage m) {
        return send(peer, subscriptionId, m, true);
    }

    private boolean send(PeerId peer, long subscriptionId, StreamMessage m, boolean replay) {
        if (batcher.takesBatches(peer)) {
            return batcher.add(peer, subscriptionId, m, replay);
        }
        return out.send(peer, new Event(subscriptionId, m.topic(), m.seq(), m.timestampMillis(), m.headers(),
                m.body()), true);
    }

    @Override
    public boolean loss(PeerId peer, long subscriptionId, String topic, long fromSeq, long toSeq, String reason) {
        return batcher.flush(peer, subscriptionId)
                && out.send(peer, new Loss(subscriptionId, topic, fromSeq, toSeq, reason), true);
    }

    @Override
    public void subscribed(PeerId peer, long subscriptionId, Map<String, Long> heads) {
        batcher.flush(peer, subscriptionId);
        batcher.forget(peer, subscriptionId);   // a replaced subscription's refusals are not the new one's
        out.send(peer, new Subscribed(subscriptionId, bounded(heads)));
    }

    @Override
    public void unsubscribed(PeerId peer, long subscriptionId, String reason) {
        batcher.flush(peer, subscriptionId);
        batcher.forget(peer, subscriptionId);
        out.send(peer, new Unsubscribed(subscriptionId, reason));
    }

    @Override
    public void peerGone(PeerId peer) {
        batcher.peerGone(peer);
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
