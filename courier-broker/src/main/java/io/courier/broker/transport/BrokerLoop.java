package io.courier.broker.transport;

import io.courier.broker.admin.StatusDocument;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.StreamSettingsFactory;
import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.stream.StreamCore;
import io.courier.broker.service.RequestRouter;
import io.courier.broker.service.RouterSettings;
import io.courier.broker.security.AccessControl;
import io.courier.broker.security.BrokerSecurity;
import io.courier.core.ConfigException;
import io.courier.protocol.Headers;
import io.courier.protocol.StreamDurability;
import io.courier.core.loop.ContextThreads;
import io.courier.core.loop.LoopRunner;
import io.courier.core.loop.Mailbox;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.StreamBatches;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The broker's event loop, thread {@code courier-broker}: it creates, uses and closes the ZeroMQ context, the
 * frontend ROUTER, the publish XSUB and the subscribe XPUB, and nothing else touches them. Each pass polls the
 * sockets and the mailbox doorbell until the next timer, runs queued commands, drains every readable socket in
 * batches, then runs the timers. Protocol logic lives in {@link FrontendHandler} and {@link RequestRouter}.
 */
public final class BrokerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLoop.class);
    private static final int COMMAND_LIMIT = 64;
    private static final int MESSAGE_LIMIT = 1_024;
    private static final long MAX_POLL_MILLIS = 1_000;
    private static final int GOODBYE_LINGER_MILLIS = 100;
    private static final long ZMQ_THREADS_JOIN_MILLIS = 500;
    private static final int HIGH_WATER_MARK = 100_000;

    /** The endpoints as bound, concrete. */
    public record Bound(String frontend, String publish, String subscribe) {
    }

    private volatile BrokerConfig config;
    private final BrokerMetrics metrics;
    private final BrokerCounters counters;
    private final QueueBacking backing;
    private final String brokerId;
    private final Mailbox<Runnable> mailbox = new Mailbox<>(4_096);
    private final CompletableFuture<Bound> bound = new CompletableFuture<>();
    private final LoopRunner runner = new LoopRunner("the broker loop", LOG);
    private final ContextThreads zmqThreads = new ContextThreads("courier-broker",
            (th, e) -> LOG.error("zeromq thread failed thread={}", th.getName(), e));
    private final long startedNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile String httpUrl = "off";
    private volatile boolean accepting = true;

    // Confined to the loop thread.
    private ZContext ctx;
    private BrokerSecurity security;
    private ZMQ.Socket frontend;
    private ZMQ.Socket publish;
    private ZMQ.Socket subscribe;
    private RequestRouter router;
    private StreamCore streams;
    private SubscriberSender sink;
    private RouterOutbox outbox;
    private FrontendHandler handler;
    private QueueRoutes queues;
    private AccessControl access;
    private PlainAccess plainAccess;
    private final EmptyWakes emptyWakes = new EmptyWakes();
    private long handled;   // messages and subscriptions taken from the sockets, for the empty-wake check
    private boolean draining;
    private long drainDeadline;

    public BrokerLoop(BrokerConfig config, BrokerMetrics metrics, BrokerCounters counters, String brokerId) {
        this(config, metrics, counters, brokerId, null);
    }

    /** With durable queues on {@code backing}'s store; null keeps queues in memory only (confirmed at once). */
    public BrokerLoop(BrokerConfig config, BrokerMetrics metrics, BrokerCounters counters, String brokerId,
                      QueueBacking backing) {
        this.config = config;
        this.metrics = metrics;
        this.counters = counters;
        this.brokerId = brokerId;
        this.backing = backing;
    }

    /** Starts the loop thread; {@link #bound()} completes once every endpoint is bound, or with the failure. */
    public void start() {
        runner.start("courier-broker", false, this);
    }

    public CompletableFuture<Bound> bound() {
        return bound;
    }

    public CompletableFuture<Void> terminated() {
        return runner.terminated();
    }

    public boolean isRunning() {
        return running && !runner.terminated().isDone();
    }

    /** Any thread: bound, running and not draining: what {@code /ready} reports. */
    public boolean isReady() {
        return accepting && bound.isDone() && !bound.isCompletedExceptionally() && isRunning()
                && (backing == null || backing.journal().failed() == null);
    }

    /** Any thread: the HTTP endpoint's URL, shown in status once it is up. */
    public void setHttpUrl(String url) {
        httpUrl = url;
    }

    /** Any thread: the status document, built on the loop. */
    public CompletableFuture<String> status() {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (!mailbox.offer(() -> result.complete(statusJson()))) {
            result.completeExceptionally(new IllegalStateException("broker is closed or busy"));
        }
        return result;
    }

    /**
     * Any thread: applies the settings that can change live (heartbeats, request handling, limits) on the loop.
     * Endpoints, the data directory and the socket options set at bind (the handshake timeout) stay as they were;
     * the caller reports those as needing a restart.
     */
    public CompletableFuture<Void> reconfigure(BrokerConfig next) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean queued = mailbox.offer(() -> {
            Bound endpoints = bound.getNow(null);
            if (router != null && endpoints != null) {
                router.onSettings(routerSettings(next));
                streams.onSettings(StreamSettingsFactory.from(next.streams()));
                queues.onSettings(next.queues());
                handler.onSettings(frontendSettings(next, endpoints));
                security.reconfigure(next.security());
                access.onRules(next.security().rules());
                config = next;
            }
            done.complete(null);
        });
        if (!queued) {
            done.completeExceptionally(new IllegalStateException("broker is closed or busy"));
        }
        return done;
    }

    /**
     * Any thread: a graceful stop. New requests are answered UNAVAILABLE at once; queued and in-flight requests
     * get up to {@code timeoutMillis} to finish; then the loop stops as {@link #stop} does.
     */
    public void drain(long timeoutMillis) {
        boolean queued = mailbox.offer(() -> {
            if (router != null && !draining) {
                draining = true;
                accepting = false;
                drainDeadline = nowMillis() + timeoutMillis;
                router.startDrain();
                queues.startDrain();
                LOG.info("broker draining queued={} inFlight={} drainMs={}", counters.queuedRequests(),
                        counters.inFlightRequests(), timeoutMillis);
            }
        });
        if (!queued) {
            running = false;
            mailbox.ring();
        }
    }

    /** Any thread but the loop's: stops the loop and waits for it, at most {@code timeoutMillis}. */
    public boolean stop(long timeoutMillis) {
        running = false;
        mailbox.ring();
        boolean ended = runner.awaitEnd(timeoutMillis);
        if (!ended && !runner.isOwner()) {
            LOG.warn("broker stop timed out waitedMs={}", timeoutMillis);
        }
        return ended;
    }

    @Override
    public void run() {
        runner.run(() -> {
            ctx = new ZContext(1);
            ctx.setLinger(0);
            zmqThreads.install(ctx);
            if (bindAll()) {
                loop();
            }
        }, this::shutdown);
    }

    private boolean bindAll() {
        try {
            security = BrokerSecurity.start(ctx, config.security(), metrics);   // ZAP first: CURVE needs it bound
            frontend = socket(SocketType.ROUTER);
            frontend.setRouterMandatory(true);
            frontend.setMaxMsgSize(config.limits().maxMessageBytes() + 64L * 1024);
            String front = bind(frontend, "endpoints.frontend", config.endpoints().frontend());
            publish = socket(SocketType.XSUB);
            // Without a limit, a frame header alone makes JeroMQ allocate its claimed size, up to 2 GiB.
            publish.setMaxMsgSize(config.limits().maxMessageBytes() + 64L * 1024);
            String pub = bind(publish, "endpoints.publish", config.endpoints().publish());
            subscribe = socket(SocketType.XPUB);
            subscribe.setXpubManual(true);   // plain SUBs' subscriptions apply once access control allows them
            String sub = bind(subscribe, "endpoints.subscribe", config.endpoints().subscribe());
            Bound endpoints = new Bound(front, pub, sub);
            publish.send(new byte[] {1}, ZMQ.DONTWAIT);   // take every message: Courier subscribers filter here
            outbox = new RouterOutbox(frontend, metrics);
            router = new RequestRouter(routerSettings(config), metrics, counters, System::nanoTime);
            sink = new SubscriberSender(outbox, subscribe);
            streams = new StreamCore(StreamSettingsFactory.from(config.streams()), sink, metrics.streams(),
                    System::currentTimeMillis);
            if (backing != null) {
                streams.useJournal(backing.streamJournal());
                backing.streams().forEach(streams::restore);
            }
            queues = QueueRoutes.create(config.queues(), outbox, backing, mailbox::ring, metrics.queues());
            handler = new FrontendHandler(frontendSettings(config, endpoints), router, streams, sink, outbox,
                    counters, metrics, this::statusJson, queues);
            access = new AccessControl(config.security().rules(), metrics::onAccessDenied);
            handler.setAccess(new AccessGate(access, outbox));
            plainAccess = new PlainAccess(access);
            bound.complete(endpoints);
            return true;
        } catch (ConfigException e) {
            bound.completeExceptionally(e);
            return false;
        }
    }

    private static RouterSettings routerSettings(BrokerConfig c) {
        return new RouterSettings(c.requests().defaultTimeout(), c.requests().unknownServiceWait(),
                c.requests().maxQueuedPerService());
    }

    private FrontendSettings frontendSettings(BrokerConfig c, Bound endpoints) {
        return new FrontendSettings(c.limits().maxFrames(), c.limits().maxMessageBytes(), c.limits().maxConnections(),
                c.heartbeat().interval().toMillis(), c.heartbeat().liveness(), welcome(c, endpoints));
    }

    /** A frontend, publish or subscribe socket with the options they share; applied before the bind. */
    private ZMQ.Socket socket(SocketType type) {
        ZMQ.Socket s = ctx.createSocket(type);
        s.setLinger(0);
        s.setSndHWM(HIGH_WATER_MARK);
        s.setRcvHWM(HIGH_WATER_MARK);
        // A connection that has not finished the ZMTP (and CURVE) handshake in time is closed by JeroMQ.
        s.setHandshakeIvl(Math.toIntExact(config.limits().handshakeTimeout().toMillis()));
        security.apply(s);
        return s;
    }

    private static String bind(ZMQ.Socket socket, String key, String endpoint) {
        try {
            socket.bind(endpoint);
            return socket.getLastEndpoint();
        } catch (ZMQException e) {
            String cause = ZMQ.Error.findByCode(e.getErrorCode()).getMessage();
            throw new ConfigException(key + ": cannot bind " + endpoint + ": " + cause.toLowerCase());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": cannot bind " + endpoint + ": " + e.getMessage());
        }
    }

    private Headers welcome(BrokerConfig config, Bound endpoints) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("broker-id", brokerId);
        p.put("heartbeat-ms", Long.toString(config.heartbeat().interval().toMillis()));
        p.put("liveness", Integer.toString(config.heartbeat().liveness()));
        p.put("max-message-bytes", Integer.toString(config.limits().maxMessageBytes()));
        p.put("publish", endpoints.publish());
        p.put("subscribe", endpoints.subscribe());
        p.put(StreamBatches.PROPERTY, "1");
        p.put(Batches.PROPERTY, "1");
        StreamDurability durability = StreamDurability.of(config.streams().retention().stream()
                .map(r -> Map.entry(r.pattern(), r.durable())).toList());
        if (durability.any()) {
            p.put(StreamDurability.PROPERTY, durability.encode());
        }
        return Headers.of(p);
    }

    private void loop() {
        ZMQ.Poller poller = ctx.createPoller(4);
        poller.register(frontend, ZMQ.Poller.POLLIN);
        poller.register(publish, ZMQ.Poller.POLLIN);
        poller.register(subscribe, ZMQ.Poller.POLLIN);
        poller.register(mailbox.doorbell(), ZMQ.Poller.POLLIN);
        boolean busy = false;
        long nextWake = 0;
        while (running) {
            // ZeroMQ's readiness signal is edge-triggered and a send can consume it: ask the sockets themselves
            // before sleeping, and drain them on every pass whatever the poller said.
            boolean pending = busy || hasInput(frontend) || hasInput(publish) || hasInput(subscribe);
            long timeout = pending ? 0 : Math.max(0, Math.min(MAX_POLL_MILLIS, nextWake - nowMillis()));
            long polled = System.nanoTime();
            poller.poll(timeout);
            boolean wokenEarly = timeout > 0 && System.nanoTime() - polled < TimeUnit.MILLISECONDS.toNanos(timeout);
            long handledBefore = handled;
            int commands = mailbox.drain(command -> guarded("command", command), COMMAND_LIMIT);
            boolean stored = queues.onStored();
            boolean more = commands == COMMAND_LIMIT || stored;
            more |= drainFrontend();
            more |= drainPublish();
            int subscriptions = plainAccess.onSubscriptions(subscribe, MESSAGE_LIMIT);   // plain SUBs' subscriptions
            handled += subscriptions;
            more |= subscriptions == MESSAGE_LIMIT;
            more |= streams.hasBacklog();
            nextWake = onTimers();
            guarded("flush", () -> sink.flush(streams));   // the pass's EVENT batches; refusals make lag
            guarded("store", queues::flush);                // the pass's store writes, as one command
            if (!outbox.flush()) {   // a peer's queue is full: its BATCH goes again shortly, not at the next timer
                nextWake = Math.min(nextWake, nowMillis() + 1);
            }
            more |= streams.hasBacklog();
            busy = more;
            counters.loopPass();
            emptyWakes.afterPass(wokenEarly, commands > 0 || stored || handled != handledBefore);
            counters.emptyWakes(emptyWakes.count());
            if (draining) {
                nextWake = Math.min(nextWake, nowMillis() + 10);
                if (router.isIdle() && queues.isIdle() || nowMillis() >= drainDeadline) {
                    LOG.info("broker drained unfinished={}", counters.queuedRequests()
                            + counters.inFlightRequests());
                    running = false;
                }
            }
        }
        poller.close();
    }

    private static boolean hasInput(ZMQ.Socket socket) {
        return (socket.getEvents() & ZMQ.Poller.POLLIN) != 0;
    }

    private boolean drainFrontend() {
        for (int n = 0; n < MESSAGE_LIMIT && running; n++) {
            InboundMessage msg = InboundMessage.receive(frontend);   // with the sender's User-Id
            if (msg == null) {
                return false;
            }
            handled++;
            guarded("message", () -> handler.onMessage(msg.frames(), msg.restBytes(), msg.userId(), nowMillis()));
        }
        return true;
    }

    /**
     * Plain publishers' messages: forwarded frame for frame to the plain subscribers, and sequenced into their
     * stream for Courier subscribers.
     */
    private boolean drainPublish() {
        for (int n = 0; n < MESSAGE_LIMIT && running; n++) {
            InboundMessage msg = InboundMessage.receive(publish);   // with the publisher's User-Id
            if (msg == null) {
                return false;
            }
            handled++;
            byte[][] frames = msg.frames();
            if (!plainAccess.mayPublish(msg)) {
                continue;   // no reply channel to a plain PUB: dropped, counted and logged
            }
            for (int i = 0; i < frames.length; i++) {
                subscribe.send(frames[i], i + 1 < frames.length ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
            }
            guarded("publish", () -> PlainMessages.sequence(frames, streams));
        }
        return true;
    }

    private long onTimers() {
        long now = nowMillis();
        long next = now + MAX_POLL_MILLIS;
        try {
            next = Math.min(Math.min(handler.onTimers(now), router.onTimers(now)), streams.onTimers(now));
            next = Math.min(next, queues.onTimers(now));
        } catch (RuntimeException e) {
            runner.failed("timers", e);
        }
        return next;
    }

    private String statusJson() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        Bound b = bound.getNow(null);
        if (b != null) {
            endpoints.put("frontend", b.frontend());
            endpoints.put("publish", b.publish());
            endpoints.put("subscribe", b.subscribe());
        }
        endpoints.put("http", httpUrl);
        long uptime = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
        return StatusDocument.toJson(brokerId, uptime, endpoints, router.status(), counters.snapshot(),
                handler.clients(), streams.status(), queues.statusQueues(), queues.statusStore(config.store()));
    }

    private void shutdown() {
        running = false;
        if (!bound.isDone()) {
            bound.completeExceptionally(new IllegalStateException("broker loop ended before binding"));
        }
        mailbox.shut();
        mailbox.drainAll(command -> guarded("command", command));
        if (router != null) {
            guarded("close", () -> {
                router.close();          // UNAVAILABLE to waiting clients, DISCONNECT to workers
                queues.onClose();        // CANCELLED to consumers
                handler.onClose();       // DISCONNECT to native clients
                outbox.flush();          // what these gathered for peers that take BATCH
                ctx.setLinger(GOODBYE_LINGER_MILLIS);   // let the goodbyes leave before the sockets close
            });
        }
        try {
            if (security != null) {
                security.stop();   // the ZAP handler's thread closes its own socket before the context goes
            }
            if (ctx != null) {
                ctx.close();
            }
            zmqThreads.join(ZMQ_THREADS_JOIN_MILLIS);
        } catch (RuntimeException e) {
            LOG.warn("close of sockets failed error={}", e.toString());
        } finally {
            mailbox.close();
            LOG.info("broker stopped");
        }
    }

    private void guarded(String what, Runnable action) {
        runner.guarded(what, action);
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
