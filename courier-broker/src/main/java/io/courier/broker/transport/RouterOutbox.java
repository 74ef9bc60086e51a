package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.rr.PeerId;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMsg;

/**
 * Sends to peers of the frontend ROUTER without ever blocking: the routing id, then the frames. The ROUTER is
 * mandatory-routing, so a send to a peer that is gone fails instead of vanishing, and is counted. Confined to
 * the broker loop thread, which owns the socket.
 */
final class RouterOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(RouterOutbox.class);

    private final ZMQ.Socket router;
    private final BrokerMetrics metrics;
    private long failures;
    private boolean lastFailureUnroutable;

    RouterOutbox(ZMQ.Socket router, BrokerMetrics metrics) {
        this.router = router;
        this.metrics = metrics;
    }

    /** Sends a native message; false when the peer is gone or its queue is full. */
    boolean send(PeerId to, NativeMessage message) {
        return send(to, message, false);
    }

    /**
     * Sends a native message; false when the peer is gone or its queue is full. {@code expectFull}: a full queue
     * is normal flow control here (a lagging subscriber), counted but not logged.
     */
    boolean send(PeerId to, NativeMessage message, boolean expectFull) {
        if (!start(to, expectFull)) {
            return false;
        }
        ZMsg msg = NativeCodec.encode(message);
        int left = msg.size();
        for (ZFrame frame : msg) {
            left--;
            router.send(frame.getData(), left > 0 ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
        }
        return true;
    }

    /** Sends raw frames (Majordomo); false when the peer is gone or its queue is full. */
    boolean send(PeerId to, byte[][] frames) {
        return send(to, frames, false);
    }

    /** Sends raw frames (Majordomo, a packed batch); {@code expectFull} as for a native message. */
    boolean send(PeerId to, byte[][] frames, boolean expectFull) {
        if (!start(to, expectFull)) {
            return false;
        }
        for (int i = 0; i < frames.length; i++) {
            router.send(frames[i], i + 1 < frames.length ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
        }
        return true;
    }

    long failures() {
        return failures;
    }

    /**
     * Sends the routing frame. Only it can be refused: ZeroMQ takes the rest of a message once it took its start.
     * A mandatory ROUTER refuses an unknown peer by throwing EHOSTUNREACH, and a full pipe with EAGAIN.
     */
    private boolean start(PeerId to, boolean expectFull) {
        try {
            if (router.send(to.bytes(), ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                return true;
            }
            return failed(to, router.errno() == ZMQ.Error.EHOSTUNREACH.getCode(), expectFull);
        } catch (ZMQException e) {
            if (e.getErrorCode() != ZMQ.Error.EHOSTUNREACH.getCode()) {
                throw e;
            }
            return failed(to, true, expectFull);
        }
    }

    /** True when the last send that failed did so because the peer is gone (not because its queue was full). */
    boolean lastFailureUnroutable() {
        return lastFailureUnroutable;
    }

    private boolean failed(PeerId to, boolean unroutable, boolean expectFull) {
        failures++;
        lastFailureUnroutable = unroutable;
        metrics.onSendFailed(unroutable ? "unroutable" : "full");
        if (unroutable || expectFull) {
            LOG.debug("send to peer failed peer={} cause={} failures={}", to, unroutable ? "unroutable" : "full",
                    failures);
        } else if (Long.bitCount(failures) == 1) {
            LOG.warn("send to peer failed peer={} cause={} failures={}", to, unroutable ? "unroutable" : "full",
                    failures);
        }
        return false;
    }
}
