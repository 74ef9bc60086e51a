package io.courier.bench.pubsub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.bench.Json;
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
    static String text(PubSubComparison c) {
        StringBuilder out = new StringBuilder();
        out.append(text(c.raw()));
        if (c.plain() != null) {
            out.append(text(c.plain()));
        }
        out.append(text(c.courier()));
        out.append(String.format(Locale.ROOT, "courier/raw  msgs/s %.2fx", c.ratio()));
        if (c.plain() != null) {
            out.append(String.format(Locale.ROOT, "   plain/raw  msgs/s %.2fx", c.plainRatio()));
        }
        out.append(System.lineSeparator());
        for (PubSubComparison.Target t : c.targets()) {
            out.append(String.format(Locale.ROOT, "  target %-36s %12.2f  %s%n", t.name(), t.value(),
                    t.met() ? "met" : "MISSED"));
        }
        return out.toString();
    }

    static String json(PubSubResult r) {
        return Json.write(node(r));
    }

    /** {@code {"raw": {...}, "plain": {...}, "courier": {...}, "ratio": {...}, "targets": [...]}}. */
    static String json(PubSubComparison c) {
        ObjectNode root = Json.object();
        root.set("raw", node(c.raw()));
        if (c.plain() != null) {
            root.set("plain", node(c.plain()));
        }
        root.set("courier", node(c.courier()));
        ObjectNode ratio = root.putObject("ratio");
        ratio.put("msgs_per_s", Json.round(c.ratio(), 3));
        if (c.plain() != null) {
            ratio.put("plain_msgs_per_s", Json.round(c.plainRatio(), 3));
        }
        ArrayNode targets = root.putArray("targets");
        for (PubSubComparison.Target t : c.targets()) {
            targets.addObject().put("name", t.name()).put("value", Json.round(t.value(), 3)).put("limit", t.limit())
                    .put("met", t.met());
        }
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
