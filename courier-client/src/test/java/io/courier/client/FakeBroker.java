package io.courier.client;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.core.loop.Mailbox;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Welcome;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A scripted stand-in for the broker: one ROUTER bound to {@code tcp://127.0.0.1:*}, owned by its own thread
 * ({@code fake-broker-N}). While answering, it replies WELCOME to HELLO and HEARTBEAT to HEARTBEAT, and passes
 * other messages to an optional responder. Every message but HEARTBEAT is recorded for the test to take.
 * Thread-safe: tests send through a mailbox, never touching the socket.
 */
public final class FakeBroker implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** One message from a peer, with the peer's routing id and when it arrived (System.nanoTime). */
    public record Received(byte[] identity, NativeMessage message, long atNanos) {
        public <T extends NativeMessage> T as(Class<T> type) {
            return type.cast(message);
        }

        public boolean samePeer(Received other) {
            return Arrays.equals(identity, other.identity);
        }
    }

    private final String name = "fake-broker-" + COUNT.incrementAndGet();
    private volatile Headers welcome;
    private final Map<Command, LinkedBlockingQueue<Received>> received = new EnumMap<>(Command.class);
    private final Mailbox<ZMsg> outgoing = new Mailbox<>(200_000);
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private final CompletableFuture<String> bound = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean answering = true;
    private volatile boolean running = true;
    private volatile Function<Received, NativeMessage> responder;

    private FakeBroker(Map<String, String> welcomeOverrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("broker-id", name);
        properties.put("heartbeat-ms", "100");
        properties.put("liveness", "3");
        properties.put("max-message-bytes", "1048576");
        properties.putAll(welcomeOverrides);
        welcome = Headers.of(properties);
        for (Command command : Command.values()) {
            received.put(command, new LinkedBlockingQueue<>());
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public static FakeBroker start() {
        return start(Map.of());
    }

    /** Starts with WELCOME properties changed or added. */
    public static FakeBroker start(Map<String, String> welcomeOverrides) {
        FakeBroker broker = new FakeBroker(welcomeOverrides);
        broker.thread.start();
        broker.endpoint();
        return broker;
    }

    /** The bound endpoint, {@code tcp://127.0.0.1:port}. */
    public String endpoint() {
        try {
            return bound.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("fake broker did not bind", e);
        }
    }

    /** Changes or adds WELCOME properties for the sessions from now on (a restarted broker has a new broker-id). */
    public void welcomeWith(Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>(welcome.asMap());
        properties.putAll(overrides);
        welcome = Headers.of(properties);
    }

    /** Answers REQUEST, STATUS and the like with what {@code fn} returns (null: no answer). */
    public void respondWith(Function<Received, NativeMessage> fn) {
        responder = fn;
    }

    /** Stops answering anything (a hung or dead broker); still records what arrives. */
    public void goSilent() {
        answering = false;
    }

    /** How many BATCH messages arrived (a client sends them once WELCOME says {@code batch=1}). */
    public int batches() {
        return batches.get();
    }

    public int heartbeats() {
        return heartbeats.get();
    }

    /** The next message with this command, waiting up to 5 seconds; fails the test if none comes. */
    public Received expect(Command command) {
        return poll(command, WAIT).orElseThrow(
                () -> new AssertionError(name + " received no " + command + " within " + WAIT.toMillis() + "ms"));
    }

    /** The next message with this command within {@code wait}, if any. */
    public Optional<Received> poll(Command command, Duration wait) {
        try {
            return Optional.ofNullable(received.get(command).poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a message to the peer with this routing id. */
    public void send(byte[] identity, NativeMessage message) {
        ZMsg msg = NativeCodec.encode(message);
        msg.push(identity);
        if (!outgoing.offer(msg)) {
            throw new IllegalStateException(name + " outgoing queue full or closed");
        }
    }

    @Override
    public void close() {
        running = false;
        outgoing.ring();
        try {
            thread.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            router.setSndHWM(0);   // unlimited: a ROUTER silently drops at its high-water mark, tests burst 1,000
            router.setRcvHWM(0);
            router.bind("tcp://127.0.0.1:*");
            bound.complete(router.getLastEndpoint());
            ZMQ.Poller poller = ctx.createPoller(2);
            poller.register(router, ZMQ.Poller.POLLIN);
            poller.register(outgoing.doorbell(), ZMQ.Poller.POLLIN);
            while (running) {
                poller.poll(100);
                outgoing.drain(msg -> msg.send(router), 100_000);
                for (ZMsg msg = ZMsg.recvMsg(router, ZMQ.DONTWAIT); msg != null && running;
                     msg = ZMsg.recvMsg(router, ZMQ.DONTWAIT)) {
                    onMessage(router, msg);
                }
            }
            poller.close();
        } catch (RuntimeException e) {
            bound.completeExceptionally(e);
            throw e;
        } finally {
            outgoing.close();
        }
    }

    private void onMessage(ZMQ.Socket router, ZMsg msg) {
        byte[] identity = msg.pop().getData();
        byte[][] frames = NativeCodec.frames(msg);
        if (Batches.isBatch(frames)) {   // each message in it as if it came alone
            batches.incrementAndGet();
            for (byte[][] message : Batches.unpack(frames)) {
                onNative(router, identity, NativeCodec.decode(message));
            }
            return;
        }
        onNative(router, identity, NativeCodec.decode(frames));
    }

    private void onNative(ZMQ.Socket router, byte[] identity, NativeMessage message) {
        Received in = new Received(identity, message, System.nanoTime());
        if (message.command() == Command.HEARTBEAT) {
            heartbeats.incrementAndGet();
            if (answering) {
                reply(router, identity, new Heartbeat());
            }
            return;
        }
        received.get(message.command()).add(in);
        if (!answering) {
            return;
        }
        if (message.command() == Command.HELLO) {
            reply(router, identity, new Welcome(welcome));
            return;
        }
        if (message.command() == Command.DISCONNECT) {
            return;   // a peer's goodbye: recorded above, never passed to the responder
        }
        Function<Received, NativeMessage> fn = responder;
        NativeMessage answer = fn == null ? null : fn.apply(in);
        if (answer != null) {
            reply(router, identity, answer);
        }
    }

    private static void reply(ZMQ.Socket router, byte[] identity, NativeMessage message) {
        ZMsg msg = NativeCodec.encode(message);
        msg.push(identity);
        msg.send(router);
    }
}
