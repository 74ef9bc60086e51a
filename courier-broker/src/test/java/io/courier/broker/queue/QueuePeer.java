package io.courier.broker.queue;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A raw native DEALER for queue tests in this module (testkit's FakePeer depends on the broker, so it cannot be
 * used here): sends native messages, receives with a timeout, and heartbeats while it waits so the broker keeps
 * it. Owned by the test thread.
 */
final class QueuePeer implements AutoCloseable {
    private static final long HEARTBEAT_MILLIS = 50;

    private final ZContext ctx = new ZContext(1);
    private final ZMQ.Socket socket;
    private final Deque<NativeMessage> backlog = new ArrayDeque<>();
    private long lastSent;

    private QueuePeer(String endpoint) {
        socket = ctx.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setHandshakeIvl(500);
        socket.connect(endpoint);
    }

    /** Connects and says HELLO; returns once WELCOME came back. */
    static QueuePeer connect(String endpoint) {
        QueuePeer peer = new QueuePeer(endpoint);
        peer.send(new Hello(Headers.of(Map.of("name", "queue-test"))));
        peer.expect(Command.WELCOME, Duration.ofSeconds(5));
        return peer;
    }

    void send(NativeMessage message) {
        NativeCodec.encode(message).send(socket);
        lastSent = System.nanoTime();
    }

    void sendFrames(byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            socket.send(frames[i], i + 1 < frames.length ? ZMQ.SNDMORE : 0);
        }
        lastSent = System.nanoTime();
    }

    /** The next message other than HEARTBEAT within {@code timeout}, or null. */
    NativeMessage receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return null;
            }
            if ((now - lastSent) / 1_000_000 >= HEARTBEAT_MILLIS) {
                send(new Heartbeat());
            }
            socket.setReceiveTimeOut((int) Math.max(1, Math.min(HEARTBEAT_MILLIS, (deadline - now) / 1_000_000)));
            ZMsg msg = ZMsg.recvMsg(socket);
            if (msg == null) {
                continue;
            }
            byte[][] frames = new byte[msg.size()][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = msg.pop().getData();
            }
            NativeMessage m = NativeCodec.decode(frames);
            if (m.command() != Command.HEARTBEAT) {
                return m;
            }
        }
    }

    /** The next message of {@code command}; others that come first are kept for later. Fails when none comes. */
    @SuppressWarnings("unchecked")
    <T extends NativeMessage> T expect(Command command, Duration timeout) {
        for (Iterator<NativeMessage> it = backlog.iterator(); it.hasNext(); ) {
            NativeMessage kept = it.next();
            if (kept.command() == command) {
                it.remove();
                return (T) kept;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            NativeMessage m = receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (m != null && m.command() == command) {
                return (T) m;
            }
            if (m != null) {
                backlog.add(m);
            }
        }
        throw new AssertionError("no " + command + " within " + timeout + "; kept " + backlog);
    }

    /** Asserts that nothing but heartbeats arrives for {@code quiet}. */
    void expectNothing(Duration quiet) {
        NativeMessage m = backlog.isEmpty() ? receive(quiet) : backlog.peek();
        if (m != null) {
            throw new AssertionError("expected nothing, got " + m);
        }
    }

    @Override
    public void close() {
        ctx.close();
    }
}
