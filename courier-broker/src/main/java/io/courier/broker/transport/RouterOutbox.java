package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.Command;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>To a peer whose HELLO said it takes BATCH (docs/protocol.md 4.14), the packable messages of a loop pass are
 * gathered and leave together when the loop calls {@link #flush}, or sooner when the batch reaches
 * {@link #BATCH_BYTES}. Anything else for that peer first sends what is gathered, so the order to it holds.
 */
final class RouterOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(RouterOutbox.class);
    /** A batch leaves once it weighs this much; a message this big or bigger goes alone. */
    static final int BATCH_BYTES = 64 * 1024;
    /** The most a batch refused by a full queue may grow to while it waits; beyond, sends to the peer fail. */
    private static final int HELD_BYTES = 4 * BATCH_BYTES;

    private final ZMQ.Socket router;
    private final BrokerMetrics metrics;
    private final Map<PeerId, Batches.Packer> packers = new HashMap<>();   // the peers that take BATCH
    private final Set<PeerId> gathered = new LinkedHashSet<>();           // those with a batch waiting
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
        ZMsg msg = NativeCodec.encode(message);
        Batches.Packer packer = packers.get(to);
        if (packer != null) {
            if (Batches.packable(message.command())) {
                int cost = Batches.Packer.cost(msg.size(), msg.contentSize());
                if (cost <= BATCH_BYTES) {
                    return gather(to, packer, message.command(), msg, cost, expectFull);
                }
            }
            if (!flush(to, packer, expectFull)) {
                return false;   // it would overtake the batch still waiting
            }
        }
        if (!start(to, expectFull)) {
            return false;
        }
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
        Batches.Packer packer = packers.get(to);
        if (packer != null && !flush(to, packer, expectFull)) {
            return false;   // it would overtake the batch still waiting
        }
        if (!start(to, expectFull)) {
            return false;
        }
        for (int i = 0; i < frames.length; i++) {
            router.send(frames[i], i + 1 < frames.length ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
        }
        return true;
    }

    /** A peer said HELLO: from now on it gets BATCH when {@code takesBatches}, single messages otherwise. */
    void onHello(PeerId peer, boolean takesBatches) {
        forget(peer);
        if (takesBatches) {
            packers.put(peer, new Batches.Packer(1_024));
        }
    }

    /** A peer is gone: what was gathered for it is dropped. */
    void forget(PeerId peer) {
        packers.remove(peer);
        gathered.remove(peer);
    }

    /**
     * End of a loop pass: sends every gathered batch. False when some peer's queue is full; its batch is kept and
     * goes with a later flush, so the loop should come back soon.
     */
    boolean flush() {
        if (gathered.isEmpty()) {
            return true;
        }
        Iterator<PeerId> it = gathered.iterator();
        while (it.hasNext()) {
            PeerId peer = it.next();
            Batches.Packer packer = packers.get(peer);
            if (packer == null || send(peer, packer, false) || !packers.containsKey(peer)) {
                it.remove();   // sent, or lost with a peer that is gone
            }
        }
        return gathered.isEmpty();
    }

    long failures() {
        return failures;
    }

    private boolean gather(PeerId to, Batches.Packer packer, Command command, ZMsg msg, int cost,
                           boolean expectFull) {
        if (packer.bytes() + cost > BATCH_BYTES && !flush(to, packer, expectFull)
                && packer.bytes() + cost > HELD_BYTES) {
            return false;
        }
        packer.add(command, msg);
        gathered.add(to);
        return true;
    }

    /** Sends what is gathered for one peer, if anything; false when it could not leave (and is kept or lost). */
    private boolean flush(PeerId to, Batches.Packer packer, boolean expectFull) {
        if (packer.count() == 0) {
            return true;
        }
        boolean sent = send(to, packer, expectFull);
        if (sent || !packers.containsKey(to)) {
            gathered.remove(to);
        }
        return sent;
    }

    /**
     * Sends a peer's batch. A full queue keeps it for the next flush; a peer that is gone loses it (what it
     * held needed that peer: the router and the queues learn of its end from its silence).
     */
    private boolean send(PeerId to, Batches.Packer packer, boolean expectFull) {
        byte[][] frames = packer.frames();
        if (!start(to, expectFull)) {
            if (lastFailureUnroutable) {
                packers.remove(to);
            } else {
                packer.restore(frames);
            }
            return false;
        }
        router.send(frames[0], ZMQ.SNDMORE | ZMQ.DONTWAIT);
        router.send(frames[1], ZMQ.SNDMORE | ZMQ.DONTWAIT);
        router.send(frames[2], ZMQ.DONTWAIT);
        return true;
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
