package io.courier.client.internal;

import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import io.courier.client.QueueHandler;
import io.courier.client.QueuedMessage;
import io.courier.client.RequestOptions;
import io.courier.client.StreamListener;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.core.loop.Mailbox;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.StreamBatches;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Client} handle: thread-safe, never blocks except in {@link #close()} and while a publish or enqueue
 * waits for room in a full in-flight window (both bounded). Checks arguments and
 * limits on the calling thread, then queues each request, publish, subscription, enqueue and consumer in the
 * mailbox of its {@link ConnectionLoop}, whose thread ({@code courier-client-N}) owns the socket, the
 * {@link ClientCore}, its {@link PendingTable}, {@link StreamClientCore} and {@link QueueClientCore}.
 */
public final class ClientConnection implements Client {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final long CLOSE_TIMEOUT_MILLIS = 2_000;
    private static final int MAX_SERVICE_BYTES = 255;
    private static final int MAX_TOPIC_BYTES = 255;

    private final ClientConfig config;
    private final String role;
    private final Executor callbacks;
    private final BatchingExecutor ownCallbacks;   // null when the application brings its own executor
    private final Mailbox<Runnable> mailbox;
    private final InFlightWindow inFlight;
    private final ClientCore core;
    private final StreamClientCore streams;
    private final QueueOperations queues;
    private final AtomicLong nextSubscriptionId = new AtomicLong(1);
    private final ConnectionLoop loop;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClientConnection(ClientConfig config) {
        this.config = config;
        this.role = "courier-client-" + COUNT.incrementAndGet();
        this.mailbox = new Mailbox<>(mailboxCapacity(config));
        this.inFlight = new InFlightWindow(config.maxInFlight());
        this.ownCallbacks = config.callbackExecutor() != null ? null
                : new BatchingExecutor(role + " callbacks", CallbackPool.shared(), Integer.MAX_VALUE, mailbox::ring);
        this.callbacks = ownCallbacks != null ? ownCallbacks : config.callbackExecutor();
        LongSupplier clock = ConnectionLoop::monotonicMillis;
        Session session = new Session(config, new Backoff(config.reconnectMin().toMillis(),
                config.reconnectMax().toMillis(), () -> ThreadLocalRandom.current().nextDouble()));
        SocketOutbox outbox = new SocketOutbox(role, session, clock);
        PendingTable table = new PendingTable(role, outbox, clock, inFlight);
        this.streams = new StreamClientCore(outbox, clock, table, config.defaults().timeout().toMillis());
        QueueClientCore queueCore = new QueueClientCore(outbox, table);
        this.core = new ClientCore(table, streams, queueCore);
        this.queues = new QueueOperations(config.maxMessageBytes(), config.defaults().timeout(), callbacks, queueCore,
                this::submit, this::queue, mailbox::ring);
        this.loop = new ConnectionLoop(role, config, mailbox, session, outbox, core, helloProperties(config.name()),
                clock, highWaterMark(config), ownCallbacks != null ? ownCallbacks::release : () -> { });
        if (ownCallbacks != null) {
            ownCallbacks.holdStartsOn(loop::isOwner);
        }
    }

    /** Starts a connection to the first endpoint of {@code config}; returns at once. */
    public static Client open(ClientConfig config) {
        Objects.requireNonNull(config, "config");
        ClientConnection client = new ClientConnection(config);
        client.loop.start();
        LOG.info("client started conn={} name={} endpoints={}", client.role, config.name(), config.endpoints());
        return client;
    }

    @Override
    public CompletableFuture<Message> request(String service, Message message) {
        return request(service, message, config.defaults());
    }

    @Override
    public CompletableFuture<Message> request(String service, Message message, RequestOptions options) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(options, "options");
        int serviceBytes = service.getBytes(StandardCharsets.UTF_8).length;
        if (serviceBytes == 0 || serviceBytes > MAX_SERVICE_BYTES) {
            throw new IllegalArgumentException("service must be 1 to 255 bytes [service=" + service + "]");
        }
        Headers headers = Headers.of(message.headers());
        String operation = "request to '" + service + "'";
        if (message.body().length > config.maxMessageBytes()) {
            return OffLoopFuture.failed(callbacks, new CourierException(Reason.TOO_LARGE, operation
                    + " failed: body of " + message.body().length + " bytes is over maxMessageBytes "
                    + config.maxMessageBytes()));
        }
        OffLoopFuture<Message> future = new OffLoopFuture<>(callbacks);
        PendingRequest request = PendingRequest.request(service, headers, message.body(), options, future);
        submit(operation, () -> core.onSubmit(request), future, 0);
        return future;
    }

    @Override
    public CompletableFuture<String> status() {
        OffLoopFuture<String> future = new OffLoopFuture<>(callbacks);
        PendingRequest request = PendingRequest.status(config.defaults(), future);
        submit("status request", () -> core.onSubmit(request), future, 0);
        return future;
    }

    @Override
    public CompletableFuture<Long> publish(String topic, Message message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        checkTopic(topic);
        Headers headers = Headers.of(message.headers());
        String operation = "publish to '" + topic + "'";
        if (message.body().length > config.maxMessageBytes()) {
            return OffLoopFuture.failed(callbacks, tooLarge(operation, message));
        }
        OffLoopFuture<Long> future = new OffLoopFuture<>(callbacks);
        PendingPublish publish = new PendingPublish(topic, headers, message.body(),
                config.defaults().timeout().toMillis(), future);
        submit(operation, () -> streams.onPublish(publish), future, config.defaults().timeout().toMillis());
        return future;
    }

    @Override
    public void publishAndForget(String topic, Message message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        checkTopic(topic);
        Publish publish = new Publish(0, topic, Headers.of(message.headers()), message.body());
        String operation = "publish to '" + topic + "'";
        if (message.body().length > config.maxMessageBytes()) {
            throw tooLarge(operation, message);
        }
        queue(operation, () -> streams.onPublishAndForget(publish));
    }

    @Override
    public Subscription subscribe(String prefix, SubscribeOptions options, StreamListener listener) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("prefix must be 0 to 255 bytes [prefix=" + prefix + "]");
        }
        long id = nextSubscriptionId.getAndIncrement();
        SubscriptionHandle handle = new SubscriptionHandle(id, prefix, options, listener, callbacks, () -> {
            streams.unsubscribeLater(id);
            mailbox.ring();
        });
        queue("subscribe to '" + prefix + "'", () -> streams.onSubscribe(id, prefix, options, handle));
        return handle;
    }

    @Override
    public CompletableFuture<EnqueueReceipt> enqueue(String queue, Message message, EnqueueOptions options) {
        return queues.enqueue(queue, message, options);
    }

    @Override
    public QueueConsumer consume(String queue, ConsumeOptions options, QueueHandler handler) {
        return queues.consume(queue, options, handler);
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> listQueue(String queue, int limit) {
        return queues.list(queue, limit);
    }

    @Override
    public CompletableFuture<Integer> replayDeadLetters(String deadLetterQueue, int count) {
        return queues.replay(deadLetterQueue, count);
    }

    @Override
    public CompletableFuture<Integer> purgeQueue(String queue) {
        return queues.purge(queue);
    }

    private static void checkTopic(String topic) {
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic must be 1 to 255 bytes [topic=" + topic + "]");
        }
    }

    private CourierException tooLarge(String operation, Message message) {
        return new CourierException(Reason.TOO_LARGE, operation + " failed: body of " + message.body().length
                + " bytes is over maxMessageBytes " + config.maxMessageBytes());
    }

    /**
     * Queues a command for the loop. From one of our callbacks the doorbell waits until the burst of callbacks has
     * run, so what a burst of replies triggers (the next requests, acks) leaves in one pass, as one BATCH.
     */
    private boolean offer(Runnable command) {
        if (ownCallbacks == null || !ownCallbacks.isRunner()) {
            return mailbox.offer(command);
        }
        if (!mailbox.offerQuietly(command)) {
            return false;
        }
        ownCallbacks.deferUntilDrained();
        return true;
    }

    private boolean takePlace(String operation, CompletableFuture<?> future, long waitMillis) {
        if (inFlight.tryAcquire()) {
            return true;
        }
        String full = inFlight.max() + " requests, publishes and enqueues already in flight (maxInFlight)";
        if (waitMillis <= 0 || loop.isOwner()) {
            future.completeExceptionally(new CourierException(Reason.BACKPRESSURE, operation + " refused: " + full));
            return false;
        }
        if (ownCallbacks != null && ownCallbacks.isRunner()) {
            mailbox.ring();   // what this callback burst queued quietly must leave, or no place ever comes back
        }
        try {
            if (inFlight.acquire(TimeUnit.MILLISECONDS.toNanos(waitMillis))) {
                return true;
            }
            future.completeExceptionally(new CourierException(Reason.BACKPRESSURE, operation + " refused: " + full
                    + " for " + waitMillis + "ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(new CourierException(Reason.BACKPRESSURE, operation
                    + " refused: interrupted while waiting for room in the window; " + full));
        }
        return false;
    }

    /** Queues a command that returns no future: a refusal throws at once. */
    private void queue(String operation, Runnable command) {
        if (closed.get()) {
            throw new CourierException(Reason.CLOSED, operation + " failed: client is closed");
        }
        if (loop.isOwner()) {
            command.run();
        } else if (!offer(command)) {
            boolean gone = mailbox.isClosed();
            throw new CourierException(gone ? Reason.CLOSED : Reason.BACKPRESSURE,
                    operation + (gone ? " failed: client is closed" : " refused: command queue is full"));
        }
    }

    /**
     * Takes a place in the in-flight window and queues the command for the loop; any refusal fails the future.
     * With {@code waitMillis} above zero a full window is waited out (publishes, enqueues) for at most that long,
     * except on the I/O thread, which gives places back and so must never wait for one; with zero it fails at once.
     */
    private void submit(String operation, Runnable command, CompletableFuture<?> future, long waitMillis) {
        if (closed.get()) {
            future.completeExceptionally(new CourierException(Reason.CLOSED, operation + " failed: client is closed"));
            return;
        }
        if (!takePlace(operation, future, waitMillis)) {
            return;
        }
        if (loop.isOwner()) {
            command.run();
        } else if (!offer(command)) {
            inFlight.release();
            boolean gone = mailbox.isClosed();
            future.completeExceptionally(new CourierException(gone ? Reason.CLOSED : Reason.BACKPRESSURE,
                    operation + (gone ? " failed: client is closed" : " refused: command queue is full")));
        } else if (mailbox.isClosed()) {
            // Raced with close(): the loop may have drained its mailbox for the last time already.
            future.completeExceptionally(new CourierException(Reason.CLOSED, operation + " failed: client is closed"));
        }
    }

    @Override
    public boolean isConnected() {
        return loop.isAlive();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!loop.stop(CLOSE_TIMEOUT_MILLIS)) {
            LOG.warn("client close incomplete conn={} timeoutMs={}", role, CLOSE_TIMEOUT_MILLIS);
        }
    }

    @Override
    public String toString() {
        return "Client[" + role + ", endpoints=" + config.endpoints() + "]";
    }

    static Headers helloProperties(String name) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("name", name);
        properties.put("version", "1");
        properties.put(StreamBatches.PROPERTY, "1");   // takes EVENT_BATCH (docs/protocol.md 9.14)
        properties.put(Batches.PROPERTY, "1");         // takes BATCH (docs/protocol.md 4.14)
        return Headers.of(properties);
    }

    /** Room for every request that maxInFlight allows, plus commands that are not requests. */
    static int mailboxCapacity(ClientConfig config) {
        return (int) Math.min(Integer.MAX_VALUE, (long) config.maxInFlight() + 1_024);
    }

    /** Bounded socket queues: enough for every request in flight, never more than 100,000 messages. */
    static int highWaterMark(ClientConfig config) {
        return (int) Math.max(1_000, Math.min(100_000, (long) config.maxInFlight() + 64));
    }
}
