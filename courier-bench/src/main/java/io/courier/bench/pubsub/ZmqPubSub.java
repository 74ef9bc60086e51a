package io.courier.bench.pubsub;

import io.courier.bench.RawContext;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Plain ZeroMQ pub/sub, either raw (the publisher binds an ephemeral loopback port and the subscribers connect to
 * it: the reference) or through the broker (the publisher connects to its publish XSUB, the subscribers to its
 * subscribe XPUB). Each side runs on its own thread with its own context, as separate processes would. Messages
 * are {@code [topic, body]}. The publisher is an XPUB with {@code ZMQ_XPUB_NODROP}: when a queue is full its send
 * waits instead of dropping, so the publisher goes no faster than the path takes messages. Before publishing, it
 * sends probes until every subscriber has seen one (the slow joiner), so nothing measured is published into the
 * void.
 */
final class ZmqPubSub {
    static final String RAW = "raw";
    static final String PLAIN = "plain";
    private static final byte[] PROBE = "bench.probe".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = "bench.data".getBytes(StandardCharsets.UTF_8);
    private static final int POLL_MILLIS = 100;
    private static final int PROBE_MILLIS = 10;
    private static final int SEND_TIMEOUT_MILLIS = 100;
    private static final long JOIN_MILLIS = 2_000;
    /** JeroMQ 0.6.0 may leave a fresh connection without a handshake (see RawReqRep); retry it quickly. */
    private static final int HANDSHAKE_MILLIS = 500;

    private final String mode;
    private final PubSubSettings settings;
    private final Deliveries deliveries;
    private final CountDownLatch ready;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    private ZmqPubSub(String mode, PubSubSettings settings) {
        this.mode = mode;
        this.settings = settings;
        this.deliveries = new Deliveries(settings);
        this.ready = new CountDownLatch(settings.subscribers());
    }

    /** Raw JeroMQ PUB to SUB over loopback TCP; blocks until done. */
    static PubSubResult raw(PubSubSettings settings) {
        return new ZmqPubSub(RAW, settings).run(null, null);
    }

    /** Plain ZeroMQ sockets through the broker whose publish and subscribe endpoints are given; blocks until done. */
    static PubSubResult plain(PubSubSettings settings, String publishEndpoint, String subscribeEndpoint) {
        return new ZmqPubSub(PLAIN, settings).run(publishEndpoint, subscribeEndpoint);
    }

    /** {@code publishTo} null: the publisher binds, and the subscribers connect to what it bound. */
    private PubSubResult run(String publishTo, String subscribeTo) {
        CompletableFuture<String> bound = new CompletableFuture<>();
        if (publishTo != null) {
            bound.complete(subscribeTo);
        }
        start("courier-bench-publisher", () -> publish(publishTo, bound));
        try {
            String endpoint = bound.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < settings.subscribers(); i++) {
                Tally tally = deliveries.tally(i);
                start("courier-bench-subscriber-" + i, () -> subscribe(endpoint, tally));
            }
            deliveries.await(settings.timeout());
            return deliveries.result(mode);
        } catch (TimeoutException e) {
            throw new CourierException(Reason.TIMEOUT, mode + " run: the publisher did not bind within "
                    + settings.timeout().toMillis() + "ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(mode + " run: the publisher failed to start", e.getCause());
        } finally {
            stopped.set(true);
            finished.countDown();
            joinAll();
        }
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                deliveries.fail(e);
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Publisher thread: owns its context and XPUB from start to close. */
    private void publish(String connectTo, CompletableFuture<String> bound) {
        try (ZContext ctx = RawContext.open()) {
            ZMQ.Socket pub = ctx.createSocket(SocketType.XPUB);
            pub.setXpubNoDrop(true);
            pub.setSndHWM(PubSubSettings.HIGH_WATER_MARK);
            pub.setSendTimeOut(SEND_TIMEOUT_MILLIS);
            if (connectTo == null) {
                pub.bind("tcp://127.0.0.1:*");
                bound.complete(pub.getLastEndpoint());
            } else {
                pub.setHandshakeIvl(HANDSHAKE_MILLIS);
                pub.connect(connectTo);
            }
            if (!probeUntilReady(pub)) {
                return;
            }
            byte[] body = settings.body();
            Pacer pacer = new Pacer(settings.rate());
            deliveries.beginPublishing(System.nanoTime());
            for (long i = settings.total(); i > 0; i--) {
                pacer.awaitTurn();
                if (!sendData(pub, PubSubSettings.stamped(body, System.nanoTime()))) {
                    return;
                }
            }
            deliveries.endPublishing(System.nanoTime());
            finished.await();   // closing now would drop what is still queued: wait for the end of the run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one message, waiting while a queue is full; false when the run was stopped meanwhile. */
    private boolean sendData(ZMQ.Socket pub, byte[] body) {
        while (!pub.send(DATA, ZMQ.SNDMORE)) {   // timed out on a full queue: look at the stop flag, then retry
            if (stopped.get()) {
                return false;
            }
        }
        pub.send(body, 0);   // the rest of a message goes where its first frame went
        return true;
    }

    /** Sends a probe every few milliseconds until every subscriber has seen one; false when stopped first. */
    private boolean probeUntilReady(ZMQ.Socket pub) throws InterruptedException {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (!stopped.get()) {
            if (pub.send(PROBE, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                pub.send(new byte[0], 0);
            }
            pub.recv(ZMQ.DONTWAIT);   // subscriptions: read and forgotten, the XPUB keeps its own table
            if (ready.await(PROBE_MILLIS, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw new CourierException(Reason.TIMEOUT, mode + " run: " + ready.getCount() + " of "
                        + settings.subscribers() + " subscribers saw no probe within "
                        + settings.timeout().toMillis() + "ms");
            }
        }
        return false;
    }

    /** Subscriber thread: owns its context and SUB; drains everything readable per wake-up. */
    private void subscribe(String endpoint, Tally tally) {
        try (ZContext ctx = RawContext.open()) {
            ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
            sub.setRcvHWM(PubSubSettings.HIGH_WATER_MARK);
            sub.setHandshakeIvl(HANDSHAKE_MILLIS);
            sub.subscribe("bench.".getBytes(StandardCharsets.UTF_8));
            sub.connect(endpoint);
            boolean sawProbe = false;
            try (ZMQ.Poller poller = ctx.createPoller(1)) {
                poller.register(sub, ZMQ.Poller.POLLIN);
                while (!stopped.get()) {
                    poller.poll(POLL_MILLIS);
                    for (byte[] topic; (topic = sub.recv(ZMQ.DONTWAIT)) != null; ) {
                        boolean data = Arrays.equals(topic, DATA);
                        byte[] body = null;
                        while (sub.hasReceiveMore()) {
                            body = sub.recv(0);   // the body: the rest of a message arrived with its first frame
                        }
                        if (data) {
                            tally.onMessage(System.nanoTime(), PubSubSettings.stampOf(body));
                        } else if (!sawProbe) {
                            sawProbe = true;
                            ready.countDown();
                        }
                    }
                }
            }
        }
    }

    private void joinAll() {
        for (Thread thread : threads) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
