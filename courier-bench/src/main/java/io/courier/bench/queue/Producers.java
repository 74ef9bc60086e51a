package io.courier.bench.queue;

import io.courier.bench.Quietly;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.EnqueueOptions;
import io.courier.client.Message;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * P producers, each its own {@link Client} (with {@code maxInFlight = window}) and its own thread, enqueueing to
 * one queue in a plain loop: the client's flow control keeps at most {@code window} unconfirmed each.
 * Confirmations only record the latency and note the seq; they run on the client's callback threads (the default),
 * or with {@code inline} on its I/O thread. Not thread-safe: one {@link #run} at a time.
 */
final class Producers implements AutoCloseable {
    private final QueueBenchSettings settings;
    private final List<Client> clients = new ArrayList<>();
    private final Message message;
    private final EnqueueOptions options;

    Producers(String frontend, QueueBenchSettings settings, boolean inline) {
        this.settings = settings;
        this.message = Message.of(settings.body());
        this.options = EnqueueOptions.defaults().withTimeout(settings.timeout());
        try {
            for (int i = 0; i < settings.producers(); i++) {
                clients.add(Client.connect(ClientConfig.of(frontend).withName("bench-producer-" + i)
                        .withCallbackExecutor(inline ? Runnable::run : null)
                        .withMaxInFlight(settings.window())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** What one {@link #run} measured: enqueue-call-to-confirm latency in nanoseconds, and its duration. */
    record Outcome(Histogram latency, long elapsedNanos) {
    }

    /**
     * Enqueues {@code messages} to {@code queue}, shared among the producers, which all start together; returns once
     * every one is confirmed. {@code confirmed} gets each confirmed seq, on an I/O thread. Throws
     * {@code CourierException}: the first enqueue failure, or TIMEOUT when no confirm came for the settings' timeout.
     */
    Outcome run(String queue, long messages, LongConsumer confirmed) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Histogram> latencies = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            long share = messages / clients.size() + (i < messages % clients.size() ? 1 : 0);
            Histogram latency = new ConcurrentHistogram(3);   // nanoseconds; grows as needed
            latencies.add(latency);
            Client client = clients.get(i);
            Thread t = new Thread(() -> produce(client, queue, share, start, latency, confirmed, failure),
                    "courier-bench-producer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long began = System.nanoTime();
        start.countDown();
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new CourierException(Reason.CLOSED, "benchmark interrupted", e));
        }
        long elapsed = System.nanoTime() - began;
        Throwable error = failure.get();
        if (error != null) {
            throw error instanceof CourierException ce ? ce
                    : new CourierException(Reason.PROTOCOL, "enqueue failed: " + error, error);
        }
        Histogram all = new Histogram(3);
        latencies.forEach(all::add);
        return new Outcome(all, elapsed);
    }

    private void produce(Client client, String queue, long share, CountDownLatch start, Histogram latency,
                         LongConsumer confirmed, AtomicReference<Throwable> failure) {
        CountDownLatch answered = new CountDownLatch((int) share);
        long timeoutMillis = settings.timeout().toMillis();
        try {
            start.await();
            for (long i = 0; i < share && failure.get() == null; i++) {
                long sent = System.nanoTime();
                client.enqueue(queue, message, options).whenComplete((receipt, error) -> {
                    if (error == null) {
                        latency.recordValue(System.nanoTime() - sent);
                        confirmed.accept(receipt.seq());
                    } else {
                        failure.compareAndSet(null, error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error);
                    }
                    answered.countDown();
                });
            }
            if (failure.get() == null && !answered.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new CourierException(Reason.TIMEOUT, "the last enqueues were not confirmed within "
                        + timeoutMillis + "ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new CourierException(Reason.CLOSED, "benchmark interrupted", e));
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Drops what is left in {@code queue} (a broker given with --broker keeps its queues); best effort. */
    void purge(String queue) {
        try {
            clients.get(0).purgeQueue(queue).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // a queue left behind on the broker is not worth failing a finished run for
        }
    }

    @Override
    public void close() {
        clients.forEach(Quietly::close);
    }
}
