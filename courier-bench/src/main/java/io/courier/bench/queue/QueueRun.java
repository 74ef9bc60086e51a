package io.courier.bench.queue;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One durable-queue run against a broker's frontend, in two phases, each on a fresh queue of its own and each
 * preceded by its warm-up (not measured):
 * <ol>
 *   <li><b>confirm</b>: the producers alone enqueue the measured messages; confirmed messages per second and the
 *       latency from each enqueue call to its confirmation. The queue is purged afterwards.</li>
 *   <li><b>end to end</b>: the consumers are attached first, then the producers enqueue the measured messages while
 *       the consumers take and ack them; acked messages per second (first measured enqueue to last delivery), and
 *       every confirmed seq checked off against the deliveries: lost and duplicates.</li>
 * </ol>
 * Runs on the calling thread (producers and consumers have threads of their own); not thread-safe.
 */
final class QueueRun {
    private final QueueBenchSettings settings;
    private final String frontend;
    private final PrintWriter progress;
    private final boolean inline;

    /**
     * {@code progress} gets a line per phase, or null for none; {@code inline} runs confirmations and handlers on
     * the clients' I/O threads instead of their callback threads.
     */
    QueueRun(QueueBenchSettings settings, String frontend, PrintWriter progress, boolean inline) {
        this.settings = settings;
        this.frontend = frontend;
        this.progress = progress;
        this.inline = inline;
    }

    /** Runs both phases; throws {@code CourierException} when an enqueue failed or nothing moved for the timeout. */
    QueueResult run(String mode, String sync) {
        String base = "bench.queue." + Long.toHexString(System.nanoTime());
        try (Producers producers = new Producers(frontend, settings, inline)) {
            say("confirm: warming up (%,d messages), then measuring %,d...", settings.warmup(), settings.count());
            String confirmQueue = base + ".confirm";
            if (settings.warmup() > 0) {
                producers.run(confirmQueue, settings.warmup(), seq -> { });
            }
            Producers.Outcome confirm = producers.run(confirmQueue, settings.count(), seq -> { });
            producers.purge(confirmQueue);

            say("end to end: %,d consumers; warming up (%,d messages), then measuring %,d...", settings.consumers(),
                    settings.warmup(), settings.count());
            String e2eQueue = base + ".e2e";
            Ledger ledger = new Ledger(settings.total());
            EndToEnd e2e;
            Consumers consumers = new Consumers(frontend, e2eQueue, settings, ledger, inline);
            try {
                e2e = endToEnd(producers, e2eQueue, ledger);
            } finally {
                consumers.close();
            }
            producers.purge(e2eQueue);   // anything not acked; a broker given with --broker keeps its queues
            double confirmSeconds = confirm.elapsedNanos() / 1e9;
            return new QueueResult(mode, sync, settings.size(), settings.producers(), settings.consumers(),
                    settings.window(), settings.prefetch(), settings.warmup(), settings.count(),
                    settings.count() / confirmSeconds, latency(confirm.latency()), confirmSeconds,
                    e2e.acked() / e2e.seconds(), settings.count() / (e2e.producing().elapsedNanos() / 1e9),
                    latency(e2e.producing().latency()), ledger.lost(), ledger.duplicates(), e2e.seconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
        }
    }

    private record EndToEnd(Producers.Outcome producing, long acked, double seconds) {
    }

    private EndToEnd endToEnd(Producers producers, String queue, Ledger ledger) throws InterruptedException {
        if (settings.warmup() > 0) {
            ledger.expect(settings.warmup());
            producers.run(queue, settings.warmup(), ledger::confirmed);
            if (!ledger.awaitDelivered(settings.timeout())) {
                throw new CourierException(Reason.TIMEOUT, "the warm-up was not delivered: "
                        + ledger.distinctDelivered() + " of " + settings.warmup() + " arrived, then none for "
                        + settings.timeout().toMillis() + "ms");
            }
        }
        long warmedUp = ledger.distinctDelivered();
        ledger.expect(settings.total());
        long began = System.nanoTime();
        Producers.Outcome producing = producers.run(queue, settings.count(), ledger::confirmed);
        boolean complete = ledger.awaitDelivered(settings.timeout());
        long ended = complete ? ledger.lastDeliveryNanos() : System.nanoTime();
        return new EndToEnd(producing, ledger.distinctDelivered() - warmedUp, (ended - began) / 1e9);
    }

    private static QueueResult.Latency latency(Histogram h) {
        double us = TimeUnit.MICROSECONDS.toNanos(1);
        return new QueueResult.Latency(h.getValueAtPercentile(50) / us, h.getValueAtPercentile(99) / us,
                h.getValueAtPercentile(99.9) / us, h.getMaxValue() / us);
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.printf(Locale.ROOT, "queue " + format + "%n", args);
            progress.flush();
        }
    }
}
