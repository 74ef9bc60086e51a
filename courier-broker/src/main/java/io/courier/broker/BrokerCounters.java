package io.courier.broker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters behind {@link BrokerStats}: written by the broker loop thread only, read by any thread. Atomic so
 * that a reader never sees a torn value (style.md section 3, rule 5: metric counters are the one exception to
 * plain confined state).
 */
public final class BrokerCounters {
    public final AtomicLong services = new AtomicLong();
    public final AtomicLong workers = new AtomicLong();
    public final AtomicLong queuedRequests = new AtomicLong();
    public final AtomicLong inFlightRequests = new AtomicLong();
    public final AtomicLong connections = new AtomicLong();
    public final AtomicLong requests = new AtomicLong();
    public final AtomicLong malformedMessages = new AtomicLong();
    public final AtomicLong loopPasses = new AtomicLong();
    public final AtomicLong emptyWakes = new AtomicLong();

    /** A snapshot; each value is current, the set of them is not one instant. */
    public BrokerStats snapshot() {
        return new BrokerStats(services.get(), workers.get(), queuedRequests.get(), inFlightRequests.get(),
                connections.get(), requests.get(), malformedMessages.get(), loopPasses.get(), emptyWakes.get());
    }
}
