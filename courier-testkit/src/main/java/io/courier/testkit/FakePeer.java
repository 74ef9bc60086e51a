package io.courier.testkit;

import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A scripted raw DEALER peer for handshake and bad-frame tests: sends exactly the frames a test gives it and
 * hands back what the broker answers, with a timeout on every receive. It can heartbeat on its own while it
 * waits, so the broker does not expire it mid-script.
 *
 * <p>Not thread-safe: the thread that connects it owns its socket, and every other method must be called on
 * that thread (it throws {@link IllegalStateException} otherwise). {@link #close()} drops the connection at once
 * (linger 0, no goodbye), which is how a test makes a peer "crash".
 */
public final class FakePeer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakePeer.class);
    private static final long POLL_SLICE_MILLIS = 10;

    private final String endpoint;
    private final Thread owner;
    private final ZContext ctx;
    private final ZMQ.Socket socket;
    private final ZMQ.Poller poller;
    private byte[][] heartbeat;
    private long heartbeatMillis;
    private long lastSentAt;
    private boolean closed;

    private FakePeer(String endpoint) {
        this.endpoint = endpoint;
        this.owner = Thread.currentThread();
        this.ctx = new ZContext(1);
        this.socket = ctx.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        // JeroMQ 0.6.0 now and then leaves a fresh connection without its ZMTP handshake (see ConnectionLoop in
        // courier-client); a short handshake timeout makes it tear that connection down and try again.
        socket.setHandshakeIvl(500);
        socket.connect(endpoint);
        this.poller = ctx.createPoller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        LOG.debug("fake peer connected endpoint={}", endpoint);
    }

    /** Connects a DEALER to {@code endpoint}; the calling thread becomes the owner. Returns at once. */
    public static FakePeer connect(String endpoint) {
        return new FakePeer(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * While this peer waits in a receive, it sends {@code frames} whenever it has sent nothing for
     * {@code interval} (like a well-behaved peer's heartbeat). Returns this peer.
     */
    public FakePeer heartbeatEvery(Duration interval, byte[]... frames) {
        checkOwner();
        this.heartbeatMillis = interval.toMillis();
        this.heartbeat = frames.clone();
        return this;
    }

    /** Stops the heartbeats set by {@link #heartbeatEvery}: the peer falls silent unless told to send. */
    public FakePeer heartbeatOff() {
        checkOwner();
        this.heartbeat = null;
        return this;
    }

    /** Like {@link #heartbeatEvery(Duration, byte[]...)} with a native message (a {@code Heartbeat}). */
    public FakePeer heartbeatEvery(Duration interval, NativeMessage message) {
        return heartbeatEvery(interval, frames(NativeCodec.encode(message)));
    }

    /** Sends one message made of these frames (any frames, valid or not). Never blocks. */
    public FakePeer send(byte[]... frames) {
        checkOwner();
        if (frames.length == 0) {
            throw new IllegalArgumentException("a message has at least one frame");
        }
        ZMsg msg = new ZMsg();
        for (byte[] frame : frames) {
            msg.add(frame);
        }
        return send(msg);
    }

    /** Sends one message of UTF-8 text frames. */
    public FakePeer sendText(String... frames) {
        byte[][] bytes = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            bytes[i] = frames[i].getBytes(StandardCharsets.UTF_8);
        }
        return send(bytes);
    }

    /** Sends a native protocol message, encoded by {@link NativeCodec}. */
    public FakePeer send(NativeMessage message) {
        return send(NativeCodec.encode(message));
    }

    /** Sends a prepared message (consumed). */
    public FakePeer send(ZMsg msg) {
        checkOwner();
        if (!msg.send(socket, true)) {
            throw new IllegalStateException("fake peer could not queue a message [endpoint=" + endpoint + "]");
        }
        lastSentAt = System.nanoTime();
        return this;
    }

    /** The next message, or null when none arrives within {@code timeout}. Heartbeats while it waits. */
    public ZMsg recv(Duration timeout) {
        return recvMatching(msg -> true, timeout);
    }

    /** The next message, or fails the test when none arrives within {@code timeout}. */
    public ZMsg expect(Duration timeout) {
        ZMsg msg = recv(timeout);
        if (msg == null) {
            throw new AssertionError("fake peer received nothing within " + timeout.toMillis() + "ms [endpoint="
                    + endpoint + "]");
        }
        return msg;
    }

    /**
     * Receives until a message satisfies {@code wanted}, dropping the others (heartbeats, welcomes); null when
     * none does within {@code timeout}.
     */
    public ZMsg recvMatching(Predicate<ZMsg> wanted, Duration timeout) {
        checkOwner();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ZMsg msg = ZMsg.recvMsg(socket, ZMQ.DONTWAIT);
            if (msg != null) {
                if (wanted.test(msg)) {
                    return msg;
                }
                continue;
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return null;
            }
            heartbeatIfDue();
            poller.poll(Math.min(leftMillis, heartbeat == null ? leftMillis : POLL_SLICE_MILLIS));
        }
    }

    /**
     * Keeps the peer alive (heartbeating as set by {@link #heartbeatEvery}) until {@code condition} holds,
     * checking it every 20ms. Messages that arrive meanwhile are dropped.
     *
     * @throws AssertionError when the condition does not hold within {@code timeout}
     */
    public void keepAliveUntil(String what, BooleanSupplier condition, Duration timeout) {
        checkOwner();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("fake peer waited " + timeout.toMillis() + "ms, in vain, for: " + what);
            }
            recvMatching(msg -> false, Duration.ofMillis(20));
        }
    }

    /**
     * The next native message of the given type, dropping other native messages (heartbeats, welcomes).
     *
     * @throws AssertionError when none arrives within {@code timeout}, or a message is not native protocol
     */
    public <T extends NativeMessage> T expectNative(Class<T> type, Duration timeout) {
        NativeMessage[] found = new NativeMessage[1];
        ZMsg msg = recvMatching(m -> {
            NativeMessage decoded = decode(m.duplicate());
            found[0] = decoded;
            return type.isInstance(decoded);
        }, timeout);
        if (msg == null) {
            throw new AssertionError("fake peer got no " + type.getSimpleName() + " within " + timeout.toMillis()
                    + "ms [endpoint=" + endpoint + ", last=" + (found[0] == null ? "none" : found[0].command())
                    + "]");
        }
        return type.cast(found[0]);
    }

    /** Decodes a native message, failing the test when it is not one. */
    public static NativeMessage decode(ZMsg msg) {
        try {
            return NativeCodec.decode(msg);
        } catch (ProtocolException e) {
            throw new AssertionError("not a native message: " + e.getMessage(), e);
        }
    }

    /** The frames of a message as byte arrays (the message is left as it was). */
    public static byte[][] frames(ZMsg msg) {
        byte[][] frames = new byte[msg.size()][];
        int i = 0;
        for (var frame : msg) {
            frames[i++] = frame.getData();
        }
        return frames;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Drops the connection at once: linger 0, nothing more is sent. Idempotent; owner thread only. */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("fake peer closed from " + Thread.currentThread().getName()
                    + ", but it belongs to " + owner.getName());
        }
        if (closed) {
            return;
        }
        closed = true;
        poller.close();
        socket.close();
        ctx.close();
        LOG.debug("fake peer closed endpoint={}", endpoint);
    }

    private void heartbeatIfDue() {
        if (heartbeat != null && System.nanoTime() - lastSentAt >= heartbeatMillis * 1_000_000) {
            send(heartbeat);
        }
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("fake peer used from " + Thread.currentThread().getName()
                    + ", but it belongs to " + owner.getName());
        }
        if (closed) {
            throw new IllegalStateException("fake peer is closed [endpoint=" + endpoint + "]");
        }
    }
}
