package io.courier.bench.reqrep;

import io.courier.bench.RawContext;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * N connections to the broker's frontend that say HELLO and then only heartbeat, held open while a run measures,
 * so the run shows what many connected clients cost the broker's path (the design asks for the same throughput
 * from 1 to 1,000). To the broker each is a Courier client; here they are plain DEALERs in one context, owned by
 * one thread ({@code courier-bench-idle}), so a thousand of them cost this process a few thousand file
 * descriptors rather than the twenty or so of a full client each. Close from any thread; bounded.
 */
final class IdleClients implements AutoCloseable {
    private static final long HEARTBEAT_MILLIS = 1_000;   // well inside the broker's liveness window
    private static final long JOIN_MILLIS = 2_000;
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String endpoint;
    private final int count;
    private final AtomicInteger welcomed = new AtomicInteger();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;

    private IdleClients(String endpoint, int count) {
        this.endpoint = endpoint;
        this.count = count;
        this.thread = new Thread(this::run, "courier-bench-idle");
        this.thread.setDaemon(true);
    }

    /** Opens {@code count} connections and waits until the broker has welcomed each, at most {@code timeout}. */
    static IdleClients connect(String endpoint, int count, Duration timeout) {
        IdleClients idle = new IdleClients(endpoint, count);
        idle.thread.start();
        try {
            idle.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (idle.welcomed.get() < count) {
                if (System.nanoTime() > deadline) {
                    throw new CourierException(Reason.TIMEOUT, "only " + idle.welcomed.get() + " of " + count
                            + " idle clients were welcomed by the broker within " + timeout.toMillis() + "ms");
                }
                LockSupport.parkNanos(CHECK_NANOS);   // the idle thread does the work; this one watches a counter
            }
            return idle;
        } catch (ExecutionException e) {
            idle.close();
            throw new CourierException(Reason.PROTOCOL, "idle clients could not connect: " + e.getCause(), e);
        } catch (TimeoutException e) {
            idle.close();
            throw new CourierException(Reason.TIMEOUT, "idle clients could not open their sockets within "
                    + timeout.toMillis() + "ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle.close();
            throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
        } catch (RuntimeException e) {
            idle.close();
            throw e;
        }
    }

    /** The idle thread: opens the sockets, then heartbeats each and drains what the broker sends, until closed. */
    private void run() {
        try (ZContext ctx = RawContext.open()) {
            List<ZMQ.Socket> sockets = new ArrayList<>(count);
            boolean[] heard = new boolean[count];
            try {
                for (int i = 0; i < count; i++) {
                    ZMQ.Socket socket = ctx.createSocket(SocketType.DEALER);
                    socket.setLinger(0);
                    socket.connect(endpoint);
                    NativeCodec.encode(new Hello(Headers.of(Map.of("name", "bench-idle-" + i)))).send(socket);
                    sockets.add(socket);
                }
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);   // for example too many open files: said, not hidden
                return;
            }
            opened.complete(null);
            long nextBeat = System.currentTimeMillis() + HEARTBEAT_MILLIS;
            while (running) {
                for (int i = 0; i < count; i++) {
                    for (ZMsg msg; (msg = ZMsg.recvMsg(sockets.get(i), ZMQ.DONTWAIT)) != null; ) {
                        msg.destroy();
                        if (!heard[i]) {
                            heard[i] = true;
                            welcomed.incrementAndGet();
                        }
                    }
                }
                if (System.currentTimeMillis() >= nextBeat) {
                    for (ZMQ.Socket socket : sockets) {
                        NativeCodec.encode(new Heartbeat()).send(socket);
                    }
                    nextBeat = System.currentTimeMillis() + HEARTBEAT_MILLIS;
                }
                // a nap between rounds: nothing here needs waking sooner (no condition is awaited by sleeping)
                LockSupport.parkNanos(welcomed.get() < count ? CHECK_NANOS : 10 * CHECK_NANOS);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
