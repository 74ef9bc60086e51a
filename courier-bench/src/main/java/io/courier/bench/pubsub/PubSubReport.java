package io.courier.bench.pubsub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.bench.Comparison;
import io.courier.bench.Json;
import io.courier.bench.Target;
import java.util.Locale;

/**
 * Formats pub/sub results: a few readable lines per run, or one JSON object per run (one object holding every run
 * and the ratios for a comparison). Rates in messages per second per subscriber. Stateless and thread-safe.
 */
final class PubSubReport {
    private PubSubReport() {
    }

    /** Four lines: what ran, its rates, its latency, what it lost. */
    static String text(PubSubResult r) {
        return String.format(Locale.ROOT, "pubsub %s: %,d B bodies, %,d messages measured after %,d warm-up, "
                        + "%,d subscriber%s, %s%n"
                        + "  throughput   %,.0f msgs/s per subscriber (slowest %,.0f) over %.2f s; publisher %,.0f "
                        + "msgs/s%n"
                        + "  latency      p50 %,.0f us   p99 %,.0f us   max %,.0f us (publish to delivery)%n"
                        + "  delivered    %,d   lost %,d   (reported %,d, never arrived %,d, seq gaps %,d)%n",
                r.mode(), r.size(), r.count(), r.warmup(), r.subscribers(), r.subscribers() == 1 ? "" : "s",
                r.rate() == 0 ? "published as fast as possible" : String.format(Locale.ROOT, "published at %,d msgs/s",
                        r.rate()),
                r.msgsPerSecond(), r.slowestPerSecond(), r.elapsedSeconds(), r.publishedPerSecond(),
                r.latency().p50Micros(), r.latency().p99Micros(), r.latency().maxMicros(), r.delivered(),
                r.notDelivered() + r.gaps(), r.lost(), r.missing(), r.gaps());
    }

    /** Every run, then the ratios and the targets. */
    static String text(Comparison<PubSubResult> c) {
        StringBuilder out = new StringBuilder();
        out.append(text(c.raw()));
        if (c.plain() != null) {
            out.append(text(c.plain()));
        }
        out.append(text(c.courier()));
        out.append(String.format(Locale.ROOT, "courier/raw  msgs/s %.2fx", c.ratio(PubSubResult::msgsPerSecond)));
        if (c.plain() != null) {
            out.append(String.format(Locale.ROOT, "   plain/raw  msgs/s %.2fx",
                    c.plainRatio(PubSubResult::msgsPerSecond)));
        }
        out.append(System.lineSeparator());
        out.append(Target.text(PubSubTargets.of(c), "%-36s %12.2f"));
        return out.toString();
    }

    static String json(PubSubResult r) {
        return Json.write(node(r));
    }

    /** {@code {"raw": {...}, "plain": {...}, "courier": {...}, "ratio": {...}, "targets": [...]}}. */
    static String json(Comparison<PubSubResult> c) {
        ObjectNode root = Json.object();
        root.set("raw", node(c.raw()));
        if (c.plain() != null) {
            root.set("plain", node(c.plain()));
        }
        root.set("courier", node(c.courier()));
        ObjectNode ratio = root.putObject("ratio");
        ratio.put("msgs_per_s", Json.round(c.ratio(PubSubResult::msgsPerSecond), 3));
        if (c.plain() != null) {
            ratio.put("plain_msgs_per_s", Json.round(c.plainRatio(PubSubResult::msgsPerSecond), 3));
        }
        Target.json(root, PubSubTargets.of(c), 3);
        return Json.write(root);
    }

    private static ObjectNode node(PubSubResult r) {
        ObjectNode n = Json.object();
        n.put("mode", r.mode());
        n.put("msgs_per_s", Json.round(r.msgsPerSecond(), 0));
        n.put("slowest_msgs_per_s", Json.round(r.slowestPerSecond(), 0));
        n.put("published_per_s", Json.round(r.publishedPerSecond(), 0));
        n.put("p50_us", Json.round(r.latency().p50Micros(), 1));
        n.put("p99_us", Json.round(r.latency().p99Micros(), 1));
        n.put("max_us", Json.round(r.latency().maxMicros(), 1));
        n.put("delivered", r.delivered());
        n.put("lost", r.notDelivered() + r.gaps());
        n.put("reported_lost", r.lost());
        n.put("missing", r.missing());
        n.put("gaps", r.gaps());
        n.put("count", r.count());
        n.put("size", r.size());
        n.put("subscribers", r.subscribers());
        n.put("rate", r.rate());
        n.put("warmup", r.warmup());
        n.put("elapsed_s", Json.round(r.elapsedSeconds(), 3));
        return n;
    }
}
