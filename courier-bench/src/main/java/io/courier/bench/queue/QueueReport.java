package io.courier.bench.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.bench.Json;
import io.courier.bench.Target;
import java.util.Locale;

/** Formats a durable-queue run: a few readable lines, or one JSON object. Stateless and thread-safe. */
final class QueueReport {
    private QueueReport() {
    }

    /** What ran, each phase's figures, then the targets. */
    static String text(QueueResult r) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "queue %s (sync %s): %,d B bodies, %,d messages measured after %,d warm-up, %,d producer%s "
                        + "(window %,d each), %,d consumer%s (prefetch %,d)%n"
                        + "  confirm      %,.0f confirmed msgs/s over %.2f s; latency p50 %,.0f us  p99 %,.0f us  "
                        + "p99.9 %,.0f us  max %,.0f us%n"
                        + "  end to end   %,.0f acked msgs/s over %.2f s (confirmed %,.0f msgs/s, p99 %,.0f us); "
                        + "lost %,d  duplicates %,d%n",
                r.mode(), r.sync(), r.size(), r.count(), r.warmup(), r.producers(), r.producers() == 1 ? "" : "s",
                r.window(), r.consumers(), r.consumers() == 1 ? "" : "s", r.prefetch(),
                r.confirmedPerSecond(), r.confirmSeconds(), r.confirm().p50Micros(), r.confirm().p99Micros(),
                r.confirm().p999Micros(), r.confirm().maxMicros(),
                r.ackedPerSecond(), r.elapsedSeconds(), r.e2eConfirmedPerSecond(), r.e2eConfirm().p99Micros(),
                r.lost(), r.duplicates()));
        return out.append(Target.text(r.targets(), "%-34s %12.0f")).toString();
    }

    /** One object: the settings, both phases' figures and {@code targets}. */
    static String json(QueueResult r) {
        ObjectNode n = Json.object();
        n.put("mode", r.mode());
        n.put("sync", r.sync());
        n.put("size", r.size());
        n.put("producers", r.producers());
        n.put("consumers", r.consumers());
        n.put("window", r.window());
        n.put("prefetch", r.prefetch());
        n.put("warmup", r.warmup());
        n.put("count", r.count());
        n.put("confirmed_per_s", Json.round(r.confirmedPerSecond(), 0));
        n.put("confirm_p50_us", Json.round(r.confirm().p50Micros(), 1));
        n.put("confirm_p99_us", Json.round(r.confirm().p99Micros(), 1));
        n.put("confirm_p999_us", Json.round(r.confirm().p999Micros(), 1));
        n.put("confirm_max_us", Json.round(r.confirm().maxMicros(), 1));
        n.put("confirm_elapsed_s", Json.round(r.confirmSeconds(), 3));
        n.put("acked_per_s", Json.round(r.ackedPerSecond(), 0));
        n.put("e2e_confirmed_per_s", Json.round(r.e2eConfirmedPerSecond(), 0));
        n.put("e2e_confirm_p99_us", Json.round(r.e2eConfirm().p99Micros(), 1));
        n.put("lost", r.lost());
        n.put("duplicates", r.duplicates());
        n.put("elapsed_s", Json.round(r.elapsedSeconds(), 3));
        Target.json(n, r.targets(), 1);
        return Json.write(n);
    }
}
