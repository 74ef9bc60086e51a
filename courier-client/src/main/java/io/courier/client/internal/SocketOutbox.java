package io.courier.client.internal;

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
 */
final class SocketOutbox implements Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(SocketOutbox.class);

    private final String role;
    private final Session session;
    private final LongSupplier clock;
    private ZMQ.Socket socket;
    private long dropped;

    SocketOutbox(String role, Session session, LongSupplier clock) {
        this.role = role;
        this.session = session;
        this.clock = clock;
    }

    void attach(ZMQ.Socket value) {
        socket = value;
    }

    void detach() {
        socket = null;
    }

    long dropped() {
        return dropped;
    }

    @Override
    public boolean send(NativeMessage message) {
        if (socket == null) {
            return false;
        }
        ZMsg msg = NativeCodec.encode(message);
        int left = msg.size();
        boolean first = true;
        for (ZFrame frame : msg) {
            left--;
            int flags = left > 0 ? ZMQ.DONTWAIT | ZMQ.SNDMORE : ZMQ.DONTWAIT;
            if (!socket.send(frame.getData(), flags)) {
                // Only the first frame can be refused: ZeroMQ takes the rest of a message once it took its start.
                if (first && dropped++ == 0) {
                    LOG.warn("send queue full, message dropped conn={} command={}", role, message.command());
                } else if (first) {
                    LOG.debug("send queue full conn={} command={} dropped={}", role, message.command(), dropped);
                }
                return false;
            }
            first = false;
        }
        session.onSent(clock.getAsLong());
        return true;
    }
}
