package io.courier.client.internal;

import io.courier.protocol.Headers;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * Encodes native messages and sends them on the connection's current DEALER socket, never blocking
 * ({@code DONTWAIT}): a full send queue drops the message and counts it. Confined to the connection's I/O thread,
 * which attaches each new socket and detaches it before closing it.
 *
 * <p>Once the broker's WELCOME said it takes BATCH (docs/protocol.md 4.14), the packable messages of a loop pass
 * are gathered and leave together when the loop calls {@link #flush}, or sooner when the batch reaches
 * {@link #BATCH_BYTES}. Any other message first sends what is gathered, so the order to the broker holds.
 */
final class SocketOutbox implements Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(SocketOutbox.class);
    /** A batch leaves once it weighs this much; a message this big or bigger goes alone. */
    static final int BATCH_BYTES = 64 * 1024;
    /** The most a batch refused by a full send queue may grow to while it waits; beyond, sends are refused. */
    private static final int HELD_BYTES = 4 * BATCH_BYTES;

    private final String role;
    private final Session session;
    private final LongSupplier clock;
    private final Batches.Packer packer = new Batches.Packer(4 * 1024);
    private ZMQ.Socket socket;
    private boolean packing;
    private int batchBytes = BATCH_BYTES;
    private long dropped;
    private boolean broken;

    SocketOutbox(String role, Session session, LongSupplier clock) {
        this.role = role;
        this.session = session;
        this.clock = clock;
    }

    void attach(ZMQ.Socket value) {
        socket = value;
        packing = false;   // until this broker's WELCOME says otherwise
    }

    void detach() {
        socket = null;
        broken = false;
        packing = false;
        packer.clear();   // the cores send again what needs an answer, on the next socket
    }

    /** The broker's WELCOME: whether it takes BATCH, and its message size limit, which a batch stays under. */
    void onWelcome(Headers properties) {
        packing = Batches.accepted(properties.get(Batches.PROPERTY));
        batchBytes = BATCH_BYTES;
        String max = properties.get("max-message-bytes");
        if (max != null) {
            try {
                batchBytes = (int) Math.max(1_024, Math.min(BATCH_BYTES, Long.parseLong(max) / 2));
            } catch (NumberFormatException e) {
                // the loop reports a malformed WELCOME; the default is safe
            }
        }
    }

    long dropped() {
        return dropped;
    }

    /** True when a batch waits for room in the send queue: the loop should try again soon. */
    boolean holding() {
        return packer.count() > 0;
    }

    @Override
    public boolean send(NativeMessage message) {
        if (socket == null || broken) {
            return false;
        }
        ZMsg msg = NativeCodec.encode(message);
        if (packing && Batches.packable(message.command())) {
            int cost = Batches.Packer.cost(msg.size(), msg.contentSize());
            if (cost <= batchBytes) {
                if (packer.bytes() + cost > batchBytes && !flush() && packer.bytes() + cost > HELD_BYTES) {
                    countDropped(message);
                    return false;
                }
                packer.add(message.command(), msg);
                return true;
            }
        }
        if (!flush()) {
            countDropped(message);
            return false;   // it would overtake the batch still waiting
        }
        return sendFrames(msg, message);
    }

    /**
     * Sends the gathered messages as one BATCH (even a single one: 3 frames instead of 5 to 7). False when the
     * send queue is full: the batch is kept, and goes with the next flush.
     */
    boolean flush() {
        if (packer.count() == 0 || socket == null || broken) {
            return true;
        }
        byte[][] frames = packer.frames();
        try {
            if (!socket.send(frames[0], ZMQ.DONTWAIT | ZMQ.SNDMORE)) {
                packer.restore(frames);
                return false;
            }
            socket.send(frames[1], ZMQ.DONTWAIT | ZMQ.SNDMORE);
            socket.send(frames[2], ZMQ.DONTWAIT);
        } catch (AssertionError e) {
            return onBroken(e);
        }
        session.onSent(clock.getAsLong());
        return true;
    }

    /**
     * True once JeroMQ failed a send in the middle of a message: its connection ended between two frames, and with
     * Java assertions on (tests, {@code -ea}) JeroMQ 0.6.0 throws from its load balancer and leaves the socket
     * unusable. The loop then replaces the socket, as after a lost broker.
     */
    boolean isBroken() {
        return broken;
    }

    private boolean onBroken(AssertionError e) {
        if (!broken) {
            LOG.warn("socket failed in the middle of a message, replacing it conn={} error={}", role, e.toString());
        }
        broken = true;
        packer.clear();
        return false;
    }

    private boolean sendFrames(ZMsg msg, NativeMessage message) {
        int left = msg.size();
        boolean first = true;
        try {
            for (ZFrame frame : msg) {
                left--;
                int flags = left > 0 ? ZMQ.DONTWAIT | ZMQ.SNDMORE : ZMQ.DONTWAIT;
                if (!socket.send(frame.getData(), flags)) {
                    // Only the first frame can be refused: ZeroMQ takes the rest once it took its start.
                    if (first) {
                        countDropped(message);
                    }
                    return false;
                }
                first = false;
            }
        } catch (AssertionError e) {
            return onBroken(e);
        }
        session.onSent(clock.getAsLong());
        return true;
    }

    private void countDropped(NativeMessage message) {
        if (dropped++ == 0) {
            LOG.warn("send queue full, message dropped conn={} command={}", role, message.command());
        } else {
            LOG.debug("send queue full conn={} command={} dropped={}", role, message.command(), dropped);
        }
    }
}
