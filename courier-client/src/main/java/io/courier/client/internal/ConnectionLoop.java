package io.courier.client.internal;

import io.courier.client.ClientConfig;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.core.loop.ContextThreads;
import io.courier.core.loop.LoopRunner;
import io.courier.core.loop.Mailbox;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Welcome;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMsg;

/**
 * The I/O loop of one client or worker connection: its thread ({@code courier-client-N} / {@code courier-worker-N})
 * creates, uses and closes the ZContext, the DEALER socket and the poller, and nothing else touches them.
 *
 * <p>Each pass: poll {socket, mailbox doorbell} until the next timer, run up to {@link #COMMAND_LIMIT} commands,
 * drain the readable messages without waiting (a BATCH is taken apart here), run what inline handlers handed back,
 * then the session timers (heartbeat, liveness, reconnect) and the core's, send what the pass gathered
 * ({@link SocketOutbox#flush}). The callback or handler threads are woken once per message read (a BATCH is one
 * burst) and once at the end of the pass, not once per callback.
 * Protocol logic lives in the thread-free {@link Session} and {@link LoopCore}; this is loop plus sockets.
 */
final class ConnectionLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLoop.class);
    static final int COMMAND_LIMIT = 256;
    static final int MESSAGE_LIMIT = 1_024;
    private static final long MAX_POLL_MILLIS = 1_000;
    private static final int GOODBYE_LINGER_MILLIS = 200;
    private static final long ZMQ_THREADS_JOIN_MILLIS = 500;
    private static final Heartbeat HEARTBEAT = new Heartbeat();

    private final String role;
    private final ClientConfig config;
    private final Mailbox<Runnable> mailbox;
    private final Session session;
    private final SocketOutbox outbox;
    private final LoopCore core;
    private final Headers helloProperties;
    private final LongSupplier clock;
    private final int highWaterMark;
    private final Runnable releaseHandoffs;
    private final ContextThreads zmqThreads;
    private final LoopRunner runner;
    private volatile boolean stopRequested;
    private volatile boolean alive;

    // Confined to the I/O thread.
    private ZContext ctx;
    private ZMQ.Socket socket;
    private ZMQ.Socket monitor;   // PAIR receiving the socket's monitor events: how a refusal shows
    private ZMQ.Poller poller;
    private HandshakeWatch handshake;
    private int monitors;
    private boolean refused;
    private boolean running = true;
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private final Batches.Receiver batchReceiver = new Batches.Receiver() {
        @Override
        public void onMessage(byte[][] frames) {
            onNative(frames);
        }

        @Override
        public void onMalformed(String reason, String detail) {
            ConnectionLoop.this.onMalformed(detail);
        }
    };
    private boolean lostBefore;
    private long malformed;

    ConnectionLoop(String role, ClientConfig config, Mailbox<Runnable> mailbox, Session session, SocketOutbox outbox,
                   LoopCore core, Headers helloProperties, LongSupplier clock, int highWaterMark,
                   Runnable releaseHandoffs) {
        this.role = role;
        this.config = config;
        this.mailbox = mailbox;
        this.session = session;
        this.outbox = outbox;
        this.core = core;
        this.helloProperties = helloProperties;
        this.clock = clock;
        this.highWaterMark = highWaterMark;
        this.releaseHandoffs = releaseHandoffs;
        this.runner = new LoopRunner("conn=" + role, LOG);
        this.zmqThreads = new ContextThreads(role, (t, e) -> LOG.error("zeromq thread failed thread={}",
                t.getName(), e));
    }

    /** Milliseconds from a monotonic clock: the time base of sessions, cores and deadlines. */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Starts the I/O thread, named for the role ({@code courier-client-3}). Daemon: a forgotten client never
     *  keeps the JVM alive. */
    void start() {
        runner.start(role, true, this);
    }

    boolean isOwner() {
        return runner.isOwner();
    }

    /** Any thread: true while the broker answers within the liveness window. */
    boolean isAlive() {
        return alive;
    }

    /** Any thread: asks the loop to stop; it stops once the core is ready (the worker drains its handlers). */
    void requestStop() {
        stopRequested = true;
        mailbox.ring();
    }

    /** Any thread but the loop's own: asks the loop to stop and waits at most {@code timeoutMillis} for it to end. */
    boolean stop(long timeoutMillis) {
        requestStop();
        boolean ended = runner.awaitEnd(timeoutMillis);
        if (!ended && !runner.isOwner()) {
            LOG.warn("close timed out conn={} waitedMs={}", role, timeoutMillis);
        }
        return ended;
    }

    @Override
    public void run() {
        runner.run(() -> {
            ctx = new ZContext(1);
            ctx.setLinger(0);
            zmqThreads.install(ctx);
            openSocket(clock.getAsLong());
            loop();
        }, this::shutdown);
    }

    private void loop() {
        boolean busy = false;
        long nextWake = clock.getAsLong();
        while (running) {
            // ZeroMQ's readiness signal is edge-triggered and our own sends can consume it: ask the socket itself
            // before sleeping, or a reply that arrived during a send waits for the next timer.
            boolean pending = busy || socket != null && (socket.getEvents() & ZMQ.Poller.POLLIN) != 0;
            long timeout = pending ? 0 : Math.max(0, Math.min(MAX_POLL_MILLIS, nextWake - clock.getAsLong()));
            poller.poll(timeout);
            int commands = mailbox.drain(command -> guarded("command", command), COMMAND_LIMIT);
            drainMonitor();
            boolean moreMessages = receiveBatch();
            runDeferred();
            nextWake = onTimers(clock.getAsLong());
            if (!outbox.flush()) {   // the send queue is full: try again shortly, not at the next timer
                nextWake = Math.min(nextWake, clock.getAsLong() + 1);
            }
            if (outbox.isBroken() && socket != null) {
                lose(clock.getAsLong(), "socket failed in the middle of a message", false);
            }
            guarded("release hand-offs", releaseHandoffs);   // what commands and timers handed over in this pass
            busy = commands == COMMAND_LIMIT || moreMessages || !deferred.isEmpty();
        }
    }

    /**
     * I/O thread only: runs {@code command} on this thread once the current message or command is handled, within
     * this pass (a handler that runs inline hands its outcome back this way, without the mailbox's doorbell).
     */
    void runSoon(Runnable command) {
        deferred.add(command);
    }

    private void runDeferred() {
        for (Runnable command; (command = deferred.poll()) != null; ) {
            guarded("command", command);
        }
    }

    /** Receives without waiting until none is left or the batch limit is hit; true when more may be waiting. */
    private boolean receiveBatch() {
        for (int n = 0; n < MESSAGE_LIMIT; n++) {
            if (socket == null || !running) {
                return false;
            }
            ZMsg msg = ZMsg.recvMsg(socket, ZMQ.DONTWAIT);
            if (msg == null) {
                return false;
            }
            guarded("message", () -> onMessage(msg));
            guarded("release hand-offs", releaseHandoffs);   // a message (a BATCH) is a burst: its callbacks start now
        }
        return true;
    }

    private void onMessage(ZMsg msg) {
        if (!NativeCodec.isNative(msg.peekFirst())) {
            onMalformed("not a CRR1 message");
            return;
        }
        byte[][] frames = NativeCodec.frames(msg);
        if (!Batches.isBatch(frames)) {
            onNative(frames);
            return;
        }
        Batches.deliver(frames, Batches.MAX_FRAMES, batchReceiver);
    }

    /** One native message, on its own or out of a BATCH. */
    private void onNative(byte[][] frames) {
        NativeMessage message;
        try {
            message = NativeCodec.decode(frames);
        } catch (ProtocolException e) {
            onMalformed(e.getMessage());
            return;
        }
        long now = clock.getAsLong();
        handshake.onMessage();
        if (refused) {
            refused = false;
            LOG.info("broker accepts this client again conn={} endpoint={}", role, session.endpoint());
            guarded("accepted", core::onAccepted);
        }
        if (session.onReceived(now)) {
            LOG.info("broker connected conn={} endpoint={}", role, session.endpoint());
        }
        alive = true;
        switch (message.command()) {
            case WELCOME -> onWelcome(((Welcome) message).properties());
            case HEARTBEAT -> {
                // liveness is all it carries
            }
            case DISCONNECT -> lose(now, "disconnect: " + ((Disconnect) message).reason(), false);
            default -> core.onMessage(message);
        }
    }

    private void onWelcome(Headers properties) {
        String heartbeat = properties.get("heartbeat-ms");
        if (heartbeat != null) {
            try {
                session.onWelcome(Long.parseLong(heartbeat));
            } catch (NumberFormatException e) {
                onMalformed("welcome heartbeat-ms is not a number: " + heartbeat);
            }
        }
        LOG.debug("welcome conn={} brokerId={} heartbeatMs={} effectiveHeartbeatMs={}", role,
                properties.get("broker-id"), heartbeat, session.intervalMillis());
        outbox.onWelcome(properties);
        core.onWelcome(properties);
    }

    private void onMalformed(String problem) {
        malformed++;
        if (malformed == 1) {
            LOG.warn("malformed message from broker dropped conn={} endpoint={} problem={}", role,
                    session.endpoint(), problem);
        } else {
            LOG.debug("malformed message from broker dropped conn={} count={} problem={}", role, malformed, problem);
        }
    }

    /** Session and core timers; returns when the loop next needs to wake. */
    private long onTimers(long now) {
        if (stopRequested && core.readyToStop(now)) {
            sayGoodbye();
            running = false;
            return now;
        }
        if (!session.isOpen()) {
            if (session.reconnectDue(now)) {
                openSocket(now);
            }
        } else if (session.isExpired(now)) {
            lose(now, "silent", true);
        } else {
            session.checkStable(now);
            if (session.heartbeatDue(now)) {
                outbox.send(HEARTBEAT);
                session.onHeartbeatSent(now);   // even if dropped: the next one is an interval away, not a spin
            }
        }
        long coreNext = Long.MAX_VALUE;
        try {
            coreNext = core.onTimers(now);
        } catch (RuntimeException e) {
            runner.failed("timers", e);
        }
        return Math.min(session.nextWakeAt(), coreNext);
    }

    private void openSocket(long now) {
        String endpoint = session.endpoint();
        socket = DealerOptions.open(ctx, config, highWaterMark);
        openMonitor();
        try {
            socket.connect(endpoint);
        } catch (ZMQException e) {   // for example a host name that does not resolve: try the next endpoint
            if (LoopRunner.isContextEnd(e)) {
                throw e;
            }
            closeSocket();
            lostBefore = true;
            long delay = session.onClosed(now, true);
            LOG.warn("connect failed conn={} endpoint={} error={} next={} reconnectInMs={}", role, endpoint,
                    e.getMessage(), session.endpoint(), delay);
            return;
        }
        outbox.attach(socket);
        replacePoller();
        session.onOpened(now);
        if (lostBefore) {
            LOG.info("broker reconnecting conn={} endpoint={}", role, endpoint);
        } else {
            LOG.debug("socket opened conn={} endpoint={} hwm={}", role, endpoint, highWaterMark);
        }
        outbox.send(new Hello(helloProperties));
        guarded("connected", core::onConnected);
    }

    /** Watches the new socket's connection events on an inproc PAIR this thread owns, next to the socket. */
    private void openMonitor() {
        String address = "inproc://courier-monitor-" + role + "-" + (++monitors);
        socket.monitor(address, HandshakeWatch.EVENTS);
        monitor = ctx.createSocket(SocketType.PAIR);
        monitor.setLinger(0);
        monitor.connect(address);
        if (handshake == null) {   // one for the connection's life: mismatches seen on earlier sockets still count
            handshake = new HandshakeWatch(config.curve() != null, DealerOptions.handshakeMillis(config) / 2);
        }
    }

    /** Reads the pending monitor events; a refusal fails the pending work at once, not at its deadline. */
    private void drainMonitor() {
        for (int n = 0; monitor != null && n < MESSAGE_LIMIT; n++) {
            ZEvent event = ZEvent.recv(monitor, ZMQ.DONTWAIT);
            if (event == null) {
                return;
            }
            String why = handshake.onEvent(event.getEvent(), event.getValue(), clock.getAsLong());
            if (why != null) {
                onRefused("refused by the broker at " + session.endpoint() + ": " + why);
            }
        }
    }

    private void onRefused(String why) {
        if (!refused) {
            refused = true;
            LOG.warn("{} conn={}", why, role);
        } else {
            LOG.debug("{} conn={}", why, role);
        }
        guarded("refused", () -> core.onRefused(why));
    }

    /** Closes the socket; the next one opens after a backoff, on the next endpoint when {@code failover}. */
    private void lose(long now, String cause, boolean failover) {
        String endpoint = session.endpoint();
        long silentMillis = now - session.lastReceived();
        closeSocket();
        alive = false;
        lostBefore = true;
        long delay = session.onClosed(now, failover);
        LOG.info("broker lost conn={} endpoint={} cause={} silentMs={} next={} reconnectInMs={}", role, endpoint,
                cause, silentMillis, session.endpoint(), delay);
        guarded("disconnected", core::onDisconnected);
    }

    private void closeSocket() {
        outbox.detach();
        if (socket != null) {
            if (monitor != null) {
                socket.monitor(null, 0);   // stop the events first: JeroMQ's I/O thread must not write to a gone pair
            }
            socket.close();   // linger 0: whatever was queued for a dead broker is dropped
            socket = null;
        }
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
        replacePoller();
    }

    /** A poller per socket: JeroMQ's unregister shifts indexes, a fresh poller is simpler and reconnects are rare. */
    private void replacePoller() {
        if (poller != null) {
            poller.close();
        }
        poller = ctx.createPoller(3);
        poller.register(mailbox.doorbell(), ZMQ.Poller.POLLIN);
        if (socket != null) {
            poller.register(socket, ZMQ.Poller.POLLIN);
        }
        if (monitor != null) {
            poller.register(monitor, ZMQ.Poller.POLLIN);
        }
    }

    /** Sends the core's last word (the worker's DISCONNECT) with a short linger so it leaves before the close. */
    private void sayGoodbye() {
        NativeMessage goodbye = core.goodbye();
        if (goodbye != null && socket != null && outbox.send(goodbye)) {
            socket.setLinger(GOODBYE_LINGER_MILLIS);
        }
    }

    private void shutdown() {
        running = false;
        alive = false;
        guarded("close", core::onClose);
        mailbox.shut();
        runDeferred();
        mailbox.drainAll(command -> guarded("command", command));   // the core is closed: requests fail CLOSED
        guarded("release hand-offs", releaseHandoffs);   // the callbacks of what failed above
        outbox.detach();
        try {
            if (poller != null) {
                poller.close();
            }
            if (ctx != null) {
                ctx.close();   // closes the socket with its linger (0, or the goodbye's) and ends ZeroMQ's threads
            }
            zmqThreads.join(ZMQ_THREADS_JOIN_MILLIS);
        } catch (RuntimeException e) {
            LOG.warn("close of sockets failed conn={} error={}", role, e.toString());
        } finally {
            socket = null;
            monitor = null;
            mailbox.close();
            LOG.info("connection closed conn={}", role);
        }
    }

    private void guarded(String what, Runnable action) {
        runner.guarded(what, action);
    }
}
