package io.courier.client;

import io.courier.client.internal.ClientConnection;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a Courier broker for sending requests to services, and for publishing to and subscribing to
 * streams.
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
 * {@code IllegalArgumentException} for a service name or topic outside 1 to 255 bytes, a prefix over 255 bytes, or
 * a header key or value over its size limit. The methods that return no future ({@link #publishAndForget},
 * {@link #subscribe}) throw {@code CourierException} at once instead: BACKPRESSURE when the command queue is full,
 * CLOSED after {@link #close()}.
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

    /**
     * Publishes one message to the stream {@code topic} (1 to 255 bytes of UTF-8) and completes with the sequence
     * number the broker gave it. Fails with BACKPRESSURE when {@code maxInFlight} requests and publishes await an
     * answer or the command queue is full, TOO_LARGE over the size limit, the broker's reason when it answers
     * ERROR (BACKPRESSURE when it has too many streams), TIMEOUT when no answer came within the configured default
     * timeout, and UNAVAILABLE when the connection was lost after sending and before the answer: the message may
     * or may not have been published. A publish is never sent twice.
     */
    CompletableFuture<Long> publish(String topic, Message message);

    /**
     * Publishes without asking for a confirmation: at most once. Never blocks. Throws {@code CourierException} at
     * once: BACKPRESSURE when the command queue is full, TOO_LARGE over {@code maxMessageBytes}, CLOSED after
     * {@link #close()}. A message that finds no connection, or a full socket queue, is dropped and counted.
     */
    void publishAndForget(String topic, Message message);

    /**
     * Subscribes to every stream whose topic starts with {@code prefix} (0 to 255 bytes; empty matches all).
     * Returns at once; {@link Subscription#subscribed()} completes when the broker has taken it. The listener is
     * called on the callback executor, in order per subscription (see {@link StreamListener}). Throws
     * {@code CourierException} at once: BACKPRESSURE when the command queue is full, CLOSED after {@link #close()}.
     */
    Subscription subscribe(String prefix, SubscribeOptions options, StreamListener listener);

    /** Subscribes from now on ({@link SubscribeOptions#ofNow()}). */
    default Subscription subscribe(String prefix, StreamListener listener) {
        return subscribe(prefix, SubscribeOptions.ofNow(), listener);
    }

    /** True while the connection hears from a broker within the liveness window. */
    boolean isConnected();

    /**
     * Closes the connection: pending requests and publishes fail with CLOSED, subscriptions end (their listeners'
     * {@code onClosed} is called), the I/O thread ends and its sockets close.
     * Bounded (a few hundred milliseconds at most), idempotent, callable from any thread.
     */
    @Override
    void close();
}
