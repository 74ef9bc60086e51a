package io.courier.bench.reqrep;

import io.courier.bench.RawContext;
import io.courier.bench.RunResult;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The reference run: the same round trips with JeroMQ alone, one DEALER (thread {@code courier-bench-client})
 * against one ROUTER echo thread, over TCP on loopback, each side with its own context as two processes would have.
 * The client thread keeps {@code inflight} requests out: it polls, drains every readable reply, and sends one new
 * request per reply. Replies come back in order over the one connection, so send times wait in a ring.
 */
public final class RawReqRep {
    public static final String MODE = "raw";
    private static final long POLL_MILLIS = 100;
    /**
     * JeroMQ 0.6.0 leaves ~1-6% of fresh connections without a ZMTP handshake (a Poller race on the connecting
     * side, zeromq/jeromq PR #1022) until the handshake timer reconnects: 30s by default, half a second here.
     */
    private static final int HANDSHAKE_MILLIS = 500;

    private RawReqRep() {
    }

    /** Runs warm-up then measurement; blocks until done. Throws {@link CourierException} TIMEOUT on a stall. */
    public static RunResult run(ReqRepSettings settings) {
        try (RawEchoServer server = RawEchoServer.start(settings.highWaterMark())) {
            RoundTrips trips = new RoundTrips(settings.warmup(), settings.count());
            AtomicBoolean cancelled = new AtomicBoolean();
            CompletableFuture<Void> clientDone = new CompletableFuture<>();
            Thread client = new Thread(() -> {
                try {
                    drive(settings, server.endpoint(), trips, cancelled);
                    clientDone.complete(null);
                } catch (Throwable e) {
                    trips.fail(e);
                    clientDone.completeExceptionally(e);
                }
            }, "courier-bench-client");
            client.setDaemon(true);
            client.start();
            try {
                trips.await(settings.timeout());
            } finally {
                cancelled.set(true);
                joinClient(client, clientDone);
            }
            return trips.result(MODE, settings);
        }
    }

    /** Client thread: owns the context, the DEALER and the poller from start to close. */
    private static void drive(ReqRepSettings settings, String endpoint, RoundTrips trips, AtomicBoolean cancelled) {
        byte[] body = settings.body();
        long[] sentAt = new long[settings.inflight()];
        int head = 0;
        int tail = 0;
        long stallNanos = settings.timeout().toNanos();
        try (ZContext ctx = RawContext.open()) {
            ZMQ.Socket dealer = ctx.createSocket(SocketType.DEALER);
            dealer.setSndHWM(settings.highWaterMark());
            dealer.setRcvHWM(settings.highWaterMark());
            dealer.setHandshakeIvl(HANDSHAKE_MILLIS);
            dealer.connect(endpoint);
            try (ZMQ.Poller poller = ctx.createPoller(1)) {
                poller.register(dealer, ZMQ.Poller.POLLIN);
                firstReply(dealer, poller, body, settings, cancelled);
                long lastProgress = System.nanoTime();
                trips.begin(lastProgress);
                for (int i = 0; i < settings.inflight() && trips.tryIssue(); i++) {
                    sentAt[tail] = System.nanoTime();
                    tail = next(tail, sentAt.length);
                    dealer.send(body, 0);
                }
                while (!trips.isDone()) {
                    poller.poll(POLL_MILLIS);
                    long now = System.nanoTime();
                    for (byte[] reply; (reply = dealer.recv(ZMQ.DONTWAIT)) != null; ) {
                        now = System.nanoTime();
                        if (reply.length != body.length) {
                            throw new CourierException(Reason.PROTOCOL, "echo of " + body.length + " bytes came back"
                                    + " with " + reply.length);
                        }
                        trips.onReply(sentAt[head], now);
                        head = next(head, sentAt.length);
                        lastProgress = now;
                        if (trips.tryIssue()) {
                            sentAt[tail] = System.nanoTime();
                            tail = next(tail, sentAt.length);
                            dealer.send(body, 0);
                        }
                    }
                    if (cancelled.get() && !trips.isDone()) {
                        return;
                    }
                    if (now - lastProgress > stallNanos) {
                        throw new CourierException(Reason.TIMEOUT, "raw run: no reply for "
                                + settings.timeout().toMillis() + "ms after " + trips.completed() + " round trips");
                    }
                }
            }
        }
    }

    /** One round trip before the clock starts: the connection is up and the echo answers. */
    private static void firstReply(ZMQ.Socket dealer, ZMQ.Poller poller, byte[] body, ReqRepSettings settings,
                                   AtomicBoolean cancelled) {
        dealer.send(body, 0);
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (dealer.recv(ZMQ.DONTWAIT) == null) {
            if (cancelled.get() || System.nanoTime() > deadline) {
                throw new CourierException(Reason.TIMEOUT, "raw run: the echo server did not answer within "
                        + settings.timeout().toMillis() + "ms");
            }
            poller.poll(POLL_MILLIS);
        }
    }

    private static int next(int index, int length) {
        return index + 1 == length ? 0 : index + 1;
    }

    private static void joinClient(Thread client, CompletableFuture<Void> clientDone) {
        try {
            clientDone.get(POLL_MILLIS * 20, TimeUnit.MILLISECONDS);
            client.join(POLL_MILLIS * 20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the failure, if any, already ended the run through RoundTrips
        }
    }
}
