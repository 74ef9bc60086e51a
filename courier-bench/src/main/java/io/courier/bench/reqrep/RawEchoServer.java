package io.courier.bench.reqrep;

import io.courier.bench.RawContext;
import io.courier.core.loop.Mailbox;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The raw run's echo peer. Its thread ({@code courier-bench-echo}) creates, uses and closes its own context and
 * ROUTER socket, bound to an ephemeral loopback port, and sends every message back to the peer it came from,
 * draining all that is readable per wake-up. Other threads reach it only through {@link #close()}, which queues
 * a stop in its mailbox.
 */
final class RawEchoServer implements AutoCloseable, Runnable {
    private static final long START_MILLIS = 5_000;
    private static final long STOP_MILLIS = 2_000;

    private final int highWaterMark;
    private final Mailbox<Runnable> mailbox = new Mailbox<>(16);
    private final CompletableFuture<String> bound = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Thread thread;
    private boolean running = true;   // echo thread only

    private RawEchoServer(int highWaterMark) {
        this.highWaterMark = highWaterMark;
        this.thread = new Thread(this, "courier-bench-echo");
        thread.setDaemon(true);
    }

    /** Starts the echo thread and returns once its socket is bound. */
    static RawEchoServer start(int highWaterMark) {
        RawEchoServer server = new RawEchoServer(highWaterMark);
        server.thread.start();
        try {
            server.bound.get(START_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            server.close();
            throw RoundTrips.rethrow(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            server.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("echo server did not bind within " + START_MILLIS + "ms", e);
        }
        return server;
    }

    /** The bound endpoint, like {@code tcp://127.0.0.1:41234}. */
    String endpoint() {
        return bound.join();
    }

    @Override
    public void run() {
        try (ZContext ctx = RawContext.open()) {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            router.setSndHWM(highWaterMark);
            router.setRcvHWM(highWaterMark);
            router.bind("tcp://127.0.0.1:*");
            bound.complete(router.getLastEndpoint());
            try (ZMQ.Poller poller = ctx.createPoller(2)) {
                poller.register(router, ZMQ.Poller.POLLIN);
                poller.register(mailbox.doorbell(), ZMQ.Poller.POLLIN);
                while (running) {
                    poller.poll(-1);
                    mailbox.drain(Runnable::run, 16);
                    echoAll(router);
                }
            }
        } catch (RuntimeException e) {
            bound.completeExceptionally(e);
        } finally {
            mailbox.close();
            terminated.complete(null);
        }
    }

    /** Sends back every readable message, frame by frame, behind the sender's routing id. */
    private static void echoAll(ZMQ.Socket router) {
        for (byte[] routingId; (routingId = router.recv(ZMQ.DONTWAIT)) != null; ) {
            router.sendMore(routingId);
            boolean more = router.hasReceiveMore();
            while (more) {
                byte[] frame = router.recv(0);   // the rest of a message has arrived with its first frame
                more = router.hasReceiveMore();
                router.send(frame, more ? ZMQ.SNDMORE : 0);
            }
        }
    }

    /** Stops the echo thread and waits (bounded) for it to close its socket. Idempotent; any thread. */
    @Override
    public void close() {
        if (mailbox.offer(() -> running = false) || !terminated.isDone()) {
            try {
                terminated.get(STOP_MILLIS, TimeUnit.MILLISECONDS);
                thread.join(STOP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // bounded: a stuck echo thread is a daemon and owns nothing the caller needs
            }
        }
    }
}
