package io.courier.client;

import io.courier.client.internal.WorkerConnection;
import java.util.Optional;

/**
 * Serves one named service through a broker: registers, takes requests, runs the handler, sends replies,
 * heartbeats, and registers again by itself after the broker restarts or fails over.
 *
 * <p><b>Threading.</b> Thread-safe. One I/O thread ({@code courier-worker-N}) owns the socket; the handler
 * runs on the callback executor (or Courier's own pool), up to {@code capacity} requests at once.
 * Delivery is at least once: a request in hand when a worker dies goes to another worker, so handlers should be
 * idempotent.
 */
public interface Worker extends AutoCloseable {

    /** Starts serving {@code service} with capacity 1. Returns at once. */
    static Worker start(ClientConfig config, String service, RequestHandler handler) {
        return start(config, WorkerOptions.of(service), handler);
    }

    /** Starts serving with the given options. Returns at once. */
    static Worker start(ClientConfig config, WorkerOptions options, RequestHandler handler) {
        return WorkerConnection.open(config, options, handler);
    }

    String service();

    /** True while registered with a broker that answers within the liveness window. */
    boolean isConnected();

    /**
     * Why the broker refused this worker at the security handshake (authentication failed, wrong server key,
     * security mismatch), as in {@code refused by the broker at tcp://...: authentication failed}; empty while
     * it is not refused. The worker keeps trying, and this clears once the broker answers it.
     */
    Optional<String> refusal();

    /**
     * Stops: starts no more requests, waits briefly (up to 1s) for handlers in progress to reply, tells the broker
     * (DISCONNECT, so it gives requests this worker had not started to other workers), ends the I/O thread and the
     * handler threads and closes the socket. Bounded (a stuck handler holds it up for about 1.5s), idempotent,
     * callable from any thread.
     */
    @Override
    void close();
}
