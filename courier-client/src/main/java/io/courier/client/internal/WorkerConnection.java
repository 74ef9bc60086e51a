package io.courier.client.internal;

import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.RequestHandler;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.core.loop.Mailbox;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Fail;
import io.courier.protocol.codec.NativeMessage.Job;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Worker} handle: thread-safe. Its {@link ConnectionLoop} thread ({@code courier-worker-N}) owns the
 * socket and the {@link WorkerCore}; handlers run on at most {@code capacity} daemon threads
 * ({@code courier-worker-N-handler-M}, woken a few per burst by a {@link BatchingExecutor}, not one per job) or on
 * {@code config.callbackExecutor()}, and hand their DONE or FAIL back through the loop's mailbox.
 */
public final class WorkerConnection implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerConnection.class);
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final long CLOSE_TIMEOUT_MILLIS = WorkerCore.DRAIN_MILLIS + 2_000;
    private static final long POST_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long HANDLER_STOP_MILLIS = 500;

    private final WorkerOptions options;
    private final String role;
    private final RequestHandler handler;
    private final ExecutorService ownPool;
    private final DaemonThreads ownThreads;
    private final Executor handlers;
    private final BatchingExecutor ownHandlers;   // null when handlers run on config.callbackExecutor()
    private final Mailbox<Runnable> mailbox;
    private final WorkerCore core;
    private final ConnectionLoop loop;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WorkerConnection(ClientConfig config, WorkerOptions options, RequestHandler handler) {
        this.options = options;
        this.role = "courier-worker-" + COUNT.incrementAndGet();
        this.handler = handler;
        this.mailbox = new Mailbox<>(options.capacity() * 2 + 1_024);
        if (config.callbackExecutor() != null) {
            this.ownThreads = null;
            this.ownPool = null;
            this.ownHandlers = null;
            this.handlers = config.callbackExecutor();
        } else {
            this.ownThreads = DaemonThreads.tracked(role + "-handler");
            this.ownPool = new ThreadPoolExecutor(options.capacity(), options.capacity(), 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), ownThreads);
            this.ownHandlers = new BatchingExecutor(role + " handlers", ownPool, options.capacity(), mailbox::ring);
            this.handlers = ownHandlers;
        }
        LongSupplier clock = ConnectionLoop::monotonicMillis;
        Session session = new Session(config, new Backoff(config.reconnectMin().toMillis(),
                config.reconnectMax().toMillis(), () -> ThreadLocalRandom.current().nextDouble()));
        SocketOutbox outbox = new SocketOutbox(role, session, clock);
        this.core = new WorkerCore(role, options, Headers.of(Map.of("name", config.name())), outbox, this::dispatch);
        this.loop = new ConnectionLoop(role, config, mailbox, session, outbox, core,
                ClientConnection.helloProperties(config.name()), clock, ClientConnection.highWaterMark(config),
                ownHandlers != null ? ownHandlers::release : () -> { });
        if (ownHandlers != null) {
            ownHandlers.holdStartsOn(loop::isOwner);
        }
    }

    /** Starts serving; returns at once. */
    public static Worker open(ClientConfig config, WorkerOptions options, RequestHandler handler) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        WorkerConnection worker = new WorkerConnection(config, options, handler);
        worker.loop.start();
        LOG.info("worker started conn={} service={} capacity={} endpoints={}", worker.role, options.service(),
                options.capacity(), config.endpoints());
        return worker;
    }

    @Override
    public String service() {
        return options.service();
    }

    @Override
    public boolean isConnected() {
        return loop.isAlive();
    }

    @Override
    public Optional<String> refusal() {
        return Optional.ofNullable(core.refusal());
    }

    /** I/O thread: hands a job to the handler executor. */
    private void dispatch(Job job, int epoch) {
        handlers.execute(() -> {
            NativeMessage outcome;
            try {
                outcome = runHandler(job);
            } catch (Error e) {   // still answer, so the job is not held until close; then let the Error go on
                Fail fail = new Fail(job.jobId(), ErrorCode.SERVICE_ERROR, "handler failed: " + e);
                post(() -> core.onOutcome(epoch, fail));
                throw e;
            }
            post(() -> core.onOutcome(epoch, outcome));
        });
    }

    /** Handler thread: runs the user's handler and turns its result or exception into DONE or FAIL. */
    private NativeMessage runHandler(Job job) {
        try {
            Message reply = handler.handle(new Message(job.headers().asMap(), job.body()));
            if (reply == null) {
                return new Fail(job.jobId(), ErrorCode.SERVICE_ERROR, "handler returned no reply");
            }
            return new Done(job.jobId(), Headers.of(reply.headers()), reply.body());
        } catch (Exception e) {
            LOG.debug("handler failed conn={} jobId={} error={}", role, job.jobId(), e.getClass().getName());
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            return new Fail(job.jobId(), ErrorCode.SERVICE_ERROR, reason);
        }
    }

    /**
     * Handler thread: queues an outcome for the loop. The mailbox holds twice the capacity and more, so it is full
     * only if the broker overran the capacity; then wait a little (our own thread, not the application's), bounded.
     */
    private void post(Runnable command) {
        if (loop.isOwner()) {   // an inline handler (callbackExecutor Runnable::run): no hand-off needed
            loop.runSoon(command);
            return;
        }
        if (ownHandlers != null && ownHandlers.isRunner() && mailbox.offerQuietly(command)) {
            ownHandlers.deferUntilDrained();   // one doorbell for the outcomes of a burst of jobs
            return;
        }
        long deadline = System.nanoTime() + POST_PATIENCE_NANOS;
        while (!mailbox.offer(command)) {
            if (mailbox.isClosed() || System.nanoTime() > deadline) {
                LOG.debug("job outcome dropped conn={} cause={}", role, mailbox.isClosed() ? "closed" : "queue full");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!loop.stop(CLOSE_TIMEOUT_MILLIS)) {
            LOG.warn("worker close incomplete conn={} timeoutMs={}", role, CLOSE_TIMEOUT_MILLIS);
        }
        if (ownPool != null) {
            stopHandlers();
        }
    }

    /** Handlers had their chance to finish while the loop drained; now end the pool and join its threads. */
    private void stopHandlers() {
        ownPool.shutdown();
        try {
            if (!ownPool.awaitTermination(HANDLER_STOP_MILLIS, TimeUnit.MILLISECONDS)) {
                ownPool.shutdownNow();   // handler threads own no socket: interrupting them is safe
            }
            if (!ownThreads.join(HANDLER_STOP_MILLIS)) {
                LOG.warn("handler threads still running after close conn={}", role);
            }
        } catch (InterruptedException e) {
            ownPool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Worker[" + role + ", service=" + options.service() + "]";
    }
}
