package io.courier.broker.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters behind {@link BrokerStats}: written by the broker loop thread only, read by any thread. Atomic so
 * that a reader never sees a torn value (metric counters are the one exception to plain confined state). Each
 * writer says what happened, not which field to change: request routing ({@code service.RequestRouter}) keeps
 * services, workers, queued and in-flight requests; the frontend keeps connections and malformed messages; the
 * loop counts its passes and empty wake-ups.
 */
public final class BrokerCounters {
    private final AtomicLong services = new AtomicLong();
    private final AtomicLong workers = new AtomicLong();
    private final AtomicLong queuedRequests = new AtomicLong();
    private final AtomicLong inFlightRequests = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong malformedMessages = new AtomicLong();
    private final AtomicLong loopPasses = new AtomicLong();
    private final AtomicLong emptyWakes = new AtomicLong();

    /** A request arrived (management requests included). */
    public void requestReceived() {
        requests.incrementAndGet();
    }

    /** A service came to exist: its first worker registered or its first request waits. */
    public void serviceAdded() {
        services.incrementAndGet();
    }

    /** A service with no worker and no queued request was dropped. */
    public void serviceRemoved() {
        services.decrementAndGet();
    }

    /** A worker registered. */
    public void workerAdded() {
        workers.incrementAndGet();
    }

    /** A worker was removed. */
    public void workerRemoved() {
        workers.decrementAndGet();
    }

    /** A request joined a service's queue (new, or put back after its worker was lost). */
    public void requestQueued() {
        queuedRequests.incrementAndGet();
    }

    /** A request left a service's queue: taken for a worker, expired or refused. */
    public void requestDequeued() {
        queuedRequests.decrementAndGet();
    }

    /** A request was handed to a worker. */
    public void requestSent() {
        inFlightRequests.incrementAndGet();
    }

    /** A request a worker held ended: answered, failed, or taken back when the worker was lost. */
    public void requestReturned() {
        inFlightRequests.decrementAndGet();
    }

    /** Request routing stopped: no service, worker, queued or in-flight request is left. */
    public void routingClosed() {
        workers.set(0);
        services.set(0);
        queuedRequests.set(0);
        inFlightRequests.set(0);
    }

    /** The native and MDP peers the broker knows now. */
    public void connections(long count) {
        connections.set(count);
    }

    /** A message was dropped or refused as malformed; returns how many since start, this one included. */
    public long malformedMessage() {
        return malformedMessages.incrementAndGet();
    }

    /** The broker loop made one more pass. */
    public void loopPass() {
        loopPasses.incrementAndGet();
    }

    /** The empty wake-ups since start. */
    public void emptyWakes(long count) {
        emptyWakes.set(count);
    }

    /** Requests waiting for a worker now, all services together. */
    public long queuedRequests() {
        return queuedRequests.get();
    }

    /** Requests handed to a worker and not yet answered now. */
    public long inFlightRequests() {
        return inFlightRequests.get();
    }

    /** A snapshot; each value is current, the set of them is not one instant. */
    public BrokerStats snapshot() {
        return new BrokerStats(services.get(), workers.get(), queuedRequests.get(), inFlightRequests.get(),
                connections.get(), requests.get(), malformedMessages.get(), loopPasses.get(), emptyWakes.get());
    }
}
