package io.courier.broker.transport;

import io.courier.broker.security.AccessControl;
import io.courier.broker.security.AccessOperation;
import io.courier.broker.security.AccessRule;
import java.nio.charset.StandardCharsets;
import org.zeromq.ZMQ;

/**
 * Access control for plain ZeroMQ peers, which have no reply channel: a PUB message on the publish XSUB from a
 * key without the right to publish its topic is dropped (counted and logged); a SUB's subscription on the
 * subscribe XPUB, which is in manual mode, takes effect only when allowed, so a refused SUB receives nothing.
 * JeroMQ 0.6.0 hands XPUB subscriptions out without their connection's metadata, so the broker cannot tell
 * which key sent one: a plain subscription is allowed only when the {@code *} rule (every key) grants it.
 * Confined to the broker loop thread, which owns both sockets.
 */
final class PlainAccess {
    private static final byte SUBSCRIBE = 1;
    private static final byte UNSUBSCRIBE = 0;

    private final AccessControl control;

    PlainAccess(AccessControl control) {
        this.control = control;
    }

    /** True when the plain PUB message may be forwarded and sequenced; false: dropped, counted and logged. */
    boolean mayPublish(InboundMessage message) {
        return !control.active() || control.refusal(AccessControl.keyOf(message.userId()), AccessOperation.PUBLISH,
                PlainMessages.topicOf(message.frames())) == null;
    }

    /**
     * Reads up to {@code limit} subscription messages from the XPUB and applies each allowed one to the SUB that
     * sent it (manual mode applies a subscription to the pipe of the last message read); returns how many it read:
     * {@code limit} means more may be waiting.
     */
    int onSubscriptions(ZMQ.Socket xpub, int limit) {
        int n = 0;
        for (; n < limit; n++) {
            InboundMessage message = InboundMessage.receive(xpub);
            if (message == null) {
                return n;
            }
            byte[] frame = message.frames()[0];
            if (frame.length == 0) {
                continue;
            }
            // JeroMQ's manual subscribe takes the whole subscription message: it skips the first byte itself.
            if (frame[0] == SUBSCRIBE && allowed(frame)) {
                xpub.subscribe(frame);
            } else if (frame[0] == UNSUBSCRIBE) {
                xpub.unsubscribe(frame);
            }
        }
        return n;
    }

    private boolean allowed(byte[] subscription) {
        if (!control.active()) {
            return true;
        }
        String prefix = new String(subscription, 1, subscription.length - 1, StandardCharsets.UTF_8);
        return control.refusal(AccessRule.EVERY_KEY, AccessOperation.SUBSCRIBE, prefix) == null;
    }
}
