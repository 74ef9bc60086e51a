package io.courier.bench.pubsub;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The subscribers' tallies of one run, and the wait for its end: every subscriber has received or been told it lost
 * every message, or nothing has arrived anywhere for the stall time (what is still missing then is counted as
 * such). Thread-safe: each tally has one writer at a time, the waiting thread only reads.
 */
final class Deliveries {
    private final PubSubSettings settings;
    private final Tally[] tallies;
    private final CountDownLatch complete;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long publishStartNanos;
    private volatile long publishEndNanos;

    Deliveries(PubSubSettings settings) {
        this.settings = settings;
        this.tallies = new Tally[settings.subscribers()];
        this.complete = new CountDownLatch(tallies.length);
        for (int i = 0; i < tallies.length; i++) {
            tallies[i] = new Tally(settings.warmup(), settings.total(), complete::countDown);
        }
    }

    Tally tally(int subscriber) {
        return tallies[subscriber];
    }

    /** Publishing starts now: time zero of a run without warm-up. */
    void beginPublishing(long nowNanos) {
        publishStartNanos = nowNanos;
        for (Tally t : tallies) {
            t.begin(nowNanos);
        }
    }

    /** The publisher has handed over (Courier: had confirmed) its last message. */
    void endPublishing(long nowNanos) {
        publishEndNanos = nowNanos;
    }

    /** Ends the wait with an error; the first one wins. */
    void fail(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            for (long i = complete.getCount(); i > 0; i--) {
                complete.countDown();
            }
        }
    }

    boolean failed() {
        return failure.get() != null;
    }

    /**
     * Waits until every subscriber has accounted for every message, or until nothing arrived for {@code stall}.
     * Rethrows a failure reported by {@link #fail}; throws TIMEOUT when no measured message arrived at all.
     */
    void await(Duration stall) {
        long seen = -1;
        try {
            while (!complete.await(stall.toMillis(), TimeUnit.MILLISECONDS)) {
                long now = accounted();
                if (now == seen) {
                    break;   // a stall: what has not arrived yet is counted as missing
                }
                seen = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
        }
        Throwable error = failure.get();
        if (error instanceof RuntimeException e) {
            throw e;
        } else if (error instanceof Error e) {
            throw e;
        } else if (error != null) {
            throw new IllegalStateException("benchmark failed", error);
        }
        for (Tally t : tallies) {
            if (t.elapsedNanos() == 0) {
                throw new CourierException(Reason.TIMEOUT, "a subscriber got no measured message within "
                        + stall.toMillis() + "ms (" + t.received() + " of " + settings.total() + " received)");
            }
        }
    }

    private long accounted() {
        long sum = 0;
        for (Tally t : tallies) {
            sum += t.accounted();
        }
        return sum;
    }

    /** The run as a result; call after {@link #await}. */
    PubSubResult result(String mode) {
        double sum = 0;
        double slowest = Double.MAX_VALUE;
        long longest = 0;
        long lost = 0;
        long missing = 0;
        long gaps = 0;
        long delivered = 0;
        Histogram latencies = new Histogram(3);
        for (Tally t : tallies) {
            latencies.add(t.latencies());
            double rate = t.measured() * 1e9 / t.elapsedNanos();
            sum += rate;
            slowest = Math.min(slowest, rate);
            longest = Math.max(longest, t.elapsedNanos());
            lost += t.lost();
            missing += t.missing();
            gaps += t.gaps();
            delivered += t.received();
        }
        long publishNanos = publishEndNanos - publishStartNanos;
        double published = publishEndNanos == 0 || publishNanos <= 0 ? 0 : settings.total() * 1e9 / publishNanos;
        return new PubSubResult(mode, settings.size(), settings.subscribers(), settings.warmup(), settings.count(),
                sum / tallies.length, slowest, published, delivered, lost, missing, gaps, longest / 1e9,
                latency(latencies), settings.rate());
    }

    private static PubSubResult.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return PubSubResult.Latency.UNKNOWN;
        }
        return new PubSubResult.Latency(h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getMaxValue() / 1e3);
    }
}
