package io.courier.client;

import io.courier.client.internal.ClientConnection;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a Courier broker for sending requests to services.
 *
 * <p><b>Threading.</b> Thread-safe: any number of threads may call any method at once. One I/O thread
 * ({@code courier-client-N}) owns the connection's sockets; methods only queue work for it and never block.
 * Returned futures complete on that thread, but every dependent stage you attach ({@code thenApply},
 * {@code whenComplete}, ...) runs on the callback executor, never on the I/O thread, so slow callbacks cannot
 * stall the connection.
 *
 * <p><b>Errors.</b> Futures complete exceptionally with {@link io.courier.protocol.CourierException}, whose
 * reason says why: TIMEOUT, UNKNOWN_SERVICE, EXPIRED, TOO_LARGE, BACKPRESSURE, SERVICE_ERROR, UNAVAILABLE,
 * CLOSED or PROTOCOL. Only invalid arguments throw, at once: {@code NullPointerException}, or
 * {@code IllegalArgumentException} for a service name outside 1 to 255 bytes or a header key or value over its
 * size limit.
 */
public interface Client extends AutoCloseable {

    /** Connects to the first reachable broker of {@code config.endpoints()}. Returns at once; never blocks. */
    static Client connect(ClientConfig config) {
        return ClientConnection.open(config);
    }

    /** Sends a request with the configured default timeout and retries. */
    default CompletableFuture<Message> request(String service, byte[] body) {
        return request(service, Message.of(body));
    }

    /** Sends a request with the configured default timeout and retries. */
    CompletableFuture<Message> request(String service, Message message);

    /** Sends a request with its own timeout and retries. */
    CompletableFuture<Message> request(String service, Message message, RequestOptions options);

    /** Asks the broker for its status (services, workers, queued requests) as a JSON document. */
    CompletableFuture<String> status();

    /** True while the connection hears from a broker within the liveness window. */
    boolean isConnected();

    /**
     * Closes the connection: pending requests fail with CLOSED, the I/O thread ends and its sockets close.
     * Bounded (a few hundred milliseconds at most), idempotent, callable from any thread.
     */
    @Override
    void close();
}
