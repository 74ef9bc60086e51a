package io.courier.broker.security;

import io.courier.core.loop.LoopRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The ZAP handler (RFC 27), thread {@code courier-zap}: it creates, uses and closes the REP socket bound to
 * {@code inproc://zeromq.zap.01} in the broker's context, answers each handshake's request with {@link ZapCore},
 * and rescans the allowlist directory about every second. It must be bound before the CURVE endpoints accept
 * anyone: JeroMQ lets every CURVE client in when no handler is bound.
 */
public final class ZapHandler implements Runnable {
    /** Where JeroMQ sends ZAP requests (RFC 27). */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final Logger LOG = LoggerFactory.getLogger(ZapHandler.class);
    private static final long POLL_MILLIS = 100;
    private static final long RESCAN_MILLIS = 1_000;

    private final ZContext ctx;
    private final ZapCore core;
    private final Allowlist allowlist;
    private final CompletableFuture<Void> bound = new CompletableFuture<>();
    private final LoopRunner runner = new LoopRunner("the ZAP handler", LOG);
    private volatile boolean running = true;
    private volatile boolean started;

    public ZapHandler(ZContext ctx, ZapCore core, Allowlist allowlist) {
        this.ctx = ctx;
        this.core = core;
        this.allowlist = allowlist;
    }

    /** Starts the thread; the returned future completes once the socket is bound (or with the failure). */
    public CompletableFuture<Void> start() {
        started = true;
        runner.start("courier-zap", true, this);
        return bound;
    }

    /** Any thread: ends the handler and waits for it, at most {@code timeoutMillis}. */
    public boolean stop(long timeoutMillis) {
        running = false;
        return !started || runner.awaitEnd(timeoutMillis);
    }

    @Override
    public void run() {
        ZMQ.Socket[] socket = {null};
        runner.run(() -> {
            try {
                socket[0] = ctx.createSocket(SocketType.REP);
                socket[0].setLinger(0);
                socket[0].bind(ENDPOINT);
                allowlist.rescan();
                bound.complete(null);
            } catch (RuntimeException e) {
                bound.completeExceptionally(e);
                throw e;
            }
            serve(socket[0]);
        }, () -> {
            if (socket[0] != null) {
                socket[0].close();
            }
        });
    }

    private void serve(ZMQ.Socket socket) {
        try (ZMQ.Poller poller = ctx.createPoller(1)) {
            poller.register(socket, ZMQ.Poller.POLLIN);
            long nextScan = System.nanoTime() / 1_000_000 + RESCAN_MILLIS;
            while (running) {
                poller.poll(POLL_MILLIS);
                for (ZMsg request; running && (request = ZMsg.recvMsg(socket, ZMQ.DONTWAIT)) != null; ) {
                    answer(socket, request);
                }
                long now = System.nanoTime() / 1_000_000;
                if (now >= nextScan) {
                    runner.guarded("allowlist rescan", allowlist::rescan);
                    nextScan = now + RESCAN_MILLIS;
                }
            }
        }
    }

    private void answer(ZMQ.Socket socket, ZMsg request) {
        List<byte[]> frames = new ArrayList<>(request.size());
        for (ZFrame frame : request) {
            frames.add(frame.getData());
        }
        List<byte[]> reply;
        try {
            reply = core.onRequest(frames);
        } catch (RuntimeException e) {
            LOG.warn("ZAP request failed error={}", e.toString(), e);
            reply = List.of(frames.isEmpty() ? new byte[0] : frames.get(0),
                    frames.size() < 2 ? new byte[0] : frames.get(1), "500".getBytes(ZMQ.CHARSET),
                    "internal error".getBytes(ZMQ.CHARSET), new byte[0], new byte[0]);
        }
        ZMsg out = new ZMsg();
        reply.forEach(out::add);
        out.send(socket);
    }
}
