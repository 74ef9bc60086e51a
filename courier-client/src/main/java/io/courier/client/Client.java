package io.courier.client;

import io.courier.client.internal.ClientConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a Courier broker for sending requests to services, for publishing to and subscribing to
 * streams, and for producing to and consuming from durable queues.
 *
 * <p><b>Threading.</b> Thread-safe: any number of threads may call any method at once. One I/O thread
 * ({@code courier-client-N}) owns the connection's sockets; methods only queue work for it and never block, except
 * {@link #close()} and a publish or enqueue waiting (bounded) for room in a full in-flight window. Returned
 * futures complete on that thread, but every dependent stage you attach ({@code thenApply}, {@code whenComplete},
 * ...) runs on the callback executor, never on the I/O thread, so slow callbacks cannot stall the connection.
 *
 * <p><b>Errors.</b> Futures complete exceptionally with {@link io.courier.core.CourierException}, whose
 * reason says why: TIMEOUT, UNKNOWN_SERVICE, EXPIRED, TOO_LARGE, BACKPRESSURE, SERVICE_ERROR, UNAVAILABLE,
 * CLOSED or PROTOCOL. Only invalid arguments throw, at once: {@code NullPointerException}, or
 * {@code IllegalArgumentException} for a service name, topic or queue outside 1 to 255 bytes, a prefix over 255
 * bytes, or a header key or value over its size limit. The methods that return no future
 * ({@link #publishAndForget}, {@link #subscribe}, {@link #consume}) throw {@code CourierException} at once instead:
 * BACKPRESSURE when the command queue is full, CLOSED after {@link #close()}.
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
     * number the broker gave it. When {@code maxInFlight} requests, publishes and enqueues already await an answer,
     * the call waits for one of them to be answered (flow control), at most the configured default timeout, and
     * fails BACKPRESSURE if none is, or at once when called on the I/O thread (inline callbacks) or interrupted
     * (the interrupt is kept). Fails BACKPRESSURE also when the command queue is full, TOO_LARGE over the size
     * limit, the broker's reason when it answers ERROR (BACKPRESSURE when it has too many streams), TIMEOUT when no
     * answer came within the configured default timeout, and UNAVAILABLE when the connection was lost after sending
     * and before the answer: the message may or may not have been published. A publish is never sent twice.
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

    /**
     * Stores a message in the durable queue {@code queue} (1 to 255 bytes of UTF-8; made on first use unless the
     * broker declares it) and completes once the broker has it on disk (under its sync policy). The client gives the
     * message a producer message id (unique, made from a random prefix per client and a counter, unless
     * {@code options} gives one) and, after a lost connection, sends it again with the same id until the broker
     * confirms or the timeout passes: the broker recognises the id within the queue's {@code dedupWindow}, so a
     * resend never makes a copy.
     *
     * <p>Unconfirmed enqueues count in {@link ClientConfig#maxInFlight()} together with requests and publishes: that
     * is the window, so memory stays bounded. An enqueue that finds it full waits for a confirmation to make room
     * (flow control), at most its timeout, then fails BACKPRESSURE; on the I/O thread (inline callbacks), or when
     * the calling thread is interrupted, it fails BACKPRESSURE at once (the interrupt is kept). Fails with
     * BACKPRESSURE also when the queue is full (broker code 429; the message names the limit, {@code maxMessages} or
     * {@code maxBytes}), TOO_LARGE over {@code maxMessageBytes} or the broker's limit, UNAVAILABLE when the broker's
     * store failed or it is shutting down, REFUSED when access control refuses it, TIMEOUT when no confirmation came
     * within the timeout (the message may still have been stored), CLOSED when the client closes first.
     */
    CompletableFuture<EnqueueReceipt> enqueue(String queue, Message message, EnqueueOptions options);

    /** Enqueues with a random message id, the queue's ttl and the default timeout. */
    default CompletableFuture<EnqueueReceipt> enqueue(String queue, Message message) {
        return enqueue(queue, message, EnqueueOptions.defaults());
    }

    /** Enqueues a body without headers, with a random message id, the queue's ttl and the default timeout. */
    default CompletableFuture<EnqueueReceipt> enqueue(String queue, byte[] body) {
        return enqueue(queue, Message.of(body), EnqueueOptions.defaults());
    }

    /**
     * Consumes from the durable queue {@code queue}: the broker delivers up to {@code options.prefetch()} messages at
     * once and the handler gets them one at a time, in order, on the callback executor (see {@link QueueHandler} for
     * the settling rules: returning acks, throwing nacks with requeue). Returns at once;
     * {@link QueueConsumer#consuming()} completes when the broker has attached the consumer. The consumer survives
     * reconnects (see {@link QueueConsumer}). Throws {@code CourierException} at once: BACKPRESSURE when the command
     * queue is full, CLOSED after {@link #close()}.
     */
    QueueConsumer consume(String queue, ConsumeOptions options, QueueHandler handler);

    /** Consumes with {@link ConsumeOptions#defaults()} (prefetch 64). */
    default QueueConsumer consume(String queue, QueueHandler handler) {
        return consume(queue, ConsumeOptions.defaults(), handler);
    }

    /**
     * Lists the oldest messages of {@code queue} (ready or delayed, not in flight) without taking them: at most
     * {@code limit} (1 to 1,000; 0 for the broker's default, 100). Fails with PROTOCOL when the queue does not exist,
     * TIMEOUT, UNAVAILABLE when the connection was lost before the answer, CLOSED.
     */
    CompletableFuture<List<QueuedMessage>> listQueue(String queue, int limit);

    /**
     * Moves up to {@code count} messages (0: all) from the dead-letter queue {@code deadLetterQueue} back to the
     * queues they came from, and completes with how many moved. Sent at most once: UNAVAILABLE when the connection
     * was lost before the answer (some may have moved). Other failures as {@link #listQueue}.
     */
    CompletableFuture<Integer> replayDeadLetters(String deadLetterQueue, int count);

    /**
     * Drops every message of {@code queue} that is not in flight and completes with how many were dropped. Sent at
     * most once. Failures as {@link #replayDeadLetters}.
     */
    CompletableFuture<Integer> purgeQueue(String queue);

    /** True while the connection hears from a broker within the liveness window. */
    boolean isConnected();

    /**
     * Closes the connection: pending requests, publishes, enqueues and admin commands fail with CLOSED,
     * subscriptions and consumers end (their listeners' {@code onClosed} and handlers' {@code onCancelled} are
     * called; unsettled deliveries go back to the queue), the I/O thread ends and its sockets close.
     * Bounded (a few hundred milliseconds at most), idempotent, callable from any thread.
     */
    @Override
    void close();
}
