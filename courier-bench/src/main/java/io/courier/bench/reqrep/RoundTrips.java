package io.courier.bench.reqrep;

import io.courier.bench.ProcessCpu;
import io.courier.bench.RunResult;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Counts the round trips of one run through its warm-up and its measurement, and records the latency of each
 * measured one. Thread-safe: the raw run calls it from its one client thread, the Courier run from whichever
 * callback thread completes a request. A short lock keeps the warm-up boundary exact; it costs tens of
 * nanoseconds against round trips of a hundred microseconds.
 */
final class RoundTrips {
    private final int warmup;
    private final long total;
    private final Histogram latencies = new Histogram(3);   // nanoseconds; grows as needed
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long issued;
    private long completed;
    private long startNanos;
    private long endNanos;
    private long startCpuNanos = -1;
    private long endCpuNanos = -1;

    RoundTrips(int warmup, int count) {
        this.warmup = warmup;
        this.total = (long) warmup + count;
    }

    /** Time zero of the run: with no warm-up, the measurement starts here. */
    synchronized void begin(long nowNanos) {
        if (warmup == 0) {
            startNanos = nowNanos;
            startCpuNanos = ProcessCpu.nanos();
        }
    }

    /** True when one more request is to be sent, counting it as sent; false once all are sent or the run failed. */
    synchronized boolean tryIssue() {
        if (issued == total || done.isDone()) {
            return false;
        }
        issued++;
        return true;
    }

    /** The reply to a request sent at {@code sentNanos} arrived at {@code nowNanos}. */
    void onReply(long sentNanos, long nowNanos) {
        boolean last;
        synchronized (this) {
            completed++;
            if (completed == warmup) {
                startNanos = nowNanos;
                startCpuNanos = ProcessCpu.nanos();
            } else if (completed > warmup) {
                latencies.recordValue(Math.max(0, nowNanos - sentNanos));
            }
            last = completed == total;
            if (last) {
                endNanos = nowNanos;
                endCpuNanos = ProcessCpu.nanos();
            }
        }
        if (last) {
            done.complete(null);
        }
    }

    /** Ends the run with an error; the first one wins. */
    void fail(Throwable error) {
        done.completeExceptionally(error);
    }

    boolean isDone() {
        return done.isDone();
    }

    synchronized long completed() {
        return completed;
    }

    /**
     * Waits for the last reply. Gives up with TIMEOUT when no reply arrives for {@code stall}; rethrows the
     * failure the run ended with.
     */
    void await(Duration stall) {
        long seen = -1;
        while (true) {
            try {
                done.get(stall.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                long now = completed();
                if (now == seen) {
                    fail(new CourierException(Reason.TIMEOUT, "no reply for " + stall.toMillis() + "ms after "
                            + now + " of " + total + " round trips"));
                }
                seen = now;
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new CourierException(Reason.CLOSED, "benchmark interrupted"));
                throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
            }
        }
    }

    /** The measured round trips as a result; call after {@link #await}. */
    synchronized RunResult result(String mode, ReqRepSettings settings) {
        return new RunResult(mode, settings.size(), settings.inflight(), settings.warmup(), total - warmup,
                Math.max(1, endNanos - startNanos), latencies.copy(),
                startCpuNanos < 0 || endCpuNanos < 0 ? -1 : endCpuNanos - startCpuNanos, -1, 0);
    }

    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("benchmark failed", cause);
    }
}
