package io.courier.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Formats results: a few readable lines per run, or one JSON object per run (one object holding both runs and
 * their ratios for a comparison). Latencies in microseconds; rates in round trips per second. Stateless and
 * thread-safe.
 */
public final class Report {
    private Report() {
    }

    /** Three or four lines: what ran, its latency percentiles, its rate, the bench process's CPU per message. */
    public static String text(String benchmark, RunResult r) {
        String cpu = Double.isNaN(r.cpuSecondsPerMillion()) ? "" : String.format(Locale.ROOT,
                "  cpu          %,.2f s per million round trips (this process)%n", r.cpuSecondsPerMillion());
        if (!Double.isNaN(r.brokerCpuSecondsPerMillion())) {
            cpu += String.format(Locale.ROOT, "  broker cpu   %,.2f s per million round trips (its own process, "
                    + "warm-up included)%n", r.brokerCpuSecondsPerMillion());
        }
        String idle = r.idleClients() == 0 ? "" : String.format(Locale.ROOT, ", %,d idle clients", r.idleClients());
        return String.format(Locale.ROOT, "%s %s: %,d B bodies, %,d round trips measured after %,d warm-up, "
                        + "%,d in flight%s%n"
                        + "  latency us   p50 %,.1f   p99 %,.1f   p99.9 %,.1f   max %,.1f   mean %,.1f%n"
                        + "  throughput   %,.0f msgs/s (round trips) over %.1f s%n",
                benchmark, r.mode(), r.size(), r.count(), r.warmup(), r.inflight(), idle,
                r.p50Micros(), r.p99Micros(), r.p999Micros(), r.maxMicros(), r.meanMicros(),
                r.roundTripsPerSecond(), r.elapsedSeconds()) + cpu;
    }

    /** Both runs, then the ratios and the targets that apply. */
    public static String text(String benchmark, Comparison<RunResult> c) {
        return text(benchmark, c.raw()) + text(benchmark, c.courier())
                + String.format(Locale.ROOT, "courier/raw  p50 %.2fx   p99 %.2fx   throughput %.2fx   cpu %.2fx%n",
                        c.ratio(RunResult::p50Micros), c.ratio(RunResult::p99Micros),
                        c.ratio(RunResult::roundTripsPerSecond), c.ratio(RunResult::cpuSecondsPerMillion))
                + Target.text(ReqRepTargets.of(c), "%-32s %10.2f");
    }

    /** One line of JSON for one run. */
    public static String json(RunResult r) {
        return Json.write(node(r));
    }

    /** One line of JSON: {@code {"courier": {...}, "raw": {...}, "ratio": {...}, "targets": [...]}}. */
    public static String json(Comparison<RunResult> c) {
        ObjectNode root = Json.object();
        root.set("courier", node(c.courier()));
        root.set("raw", node(c.raw()));
        ObjectNode ratio = root.putObject("ratio");
        ratio.put("p50", Json.round(c.ratio(RunResult::p50Micros), 3));
        ratio.put("p99", Json.round(c.ratio(RunResult::p99Micros), 3));
        ratio.put("msgs_per_s", Json.round(c.ratio(RunResult::roundTripsPerSecond), 3));
        double cpu = c.ratio(RunResult::cpuSecondsPerMillion);
        if (!Double.isNaN(cpu)) {
            ratio.put("cpu", Json.round(cpu, 3));
        }
        Target.json(root, ReqRepTargets.of(c), 3);
        return Json.write(root);
    }

    private static ObjectNode node(RunResult r) {
        ObjectNode n = Json.object();
        n.put("mode", r.mode());
        n.put("p50_us", Json.round(r.p50Micros(), 1));
        n.put("p99_us", Json.round(r.p99Micros(), 1));
        n.put("p999_us", Json.round(r.p999Micros(), 1));
        n.put("max_us", Json.round(r.maxMicros(), 1));
        n.put("mean_us", Json.round(r.meanMicros(), 1));
        n.put("msgs_per_s", Json.round(r.roundTripsPerSecond(), 0));
        n.put("count", r.count());
        n.put("size", r.size());
        n.put("inflight", r.inflight());
        n.put("warmup", r.warmup());
        n.put("elapsed_s", Json.round(r.elapsedSeconds(), 3));
        n.put("idle_clients", r.idleClients());
        if (!Double.isNaN(r.cpuSecondsPerMillion())) {
            n.put("cpu_s_per_million", Json.round(r.cpuSecondsPerMillion(), 2));
        }
        if (!Double.isNaN(r.brokerCpuSecondsPerMillion())) {
            n.put("broker_cpu_s_per_million", Json.round(r.brokerCpuSecondsPerMillion(), 2));
        }
        return n;
    }
}
