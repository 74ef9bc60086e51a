package io.courier.bench.reqrep;

import io.courier.bench.BenchExit;
import io.courier.bench.Comparison;
import io.courier.bench.OptionChecks;
import io.courier.bench.Report;
import io.courier.bench.RunResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier bench reqrep}: request/reply round trips through the broker, over raw JeroMQ, or both in one
 * process with their ratios. Runs on the calling thread; exit code 0, 2 for invalid options, 3 for a request with
 * no reply, 1 for any other failure.
 */
@Command(name = "reqrep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Request/reply round trips: latency percentiles (us) and rate (round trips/s), through the "
                + "broker, over raw JeroMQ (--raw), or both with their ratios (--compare).",
                "Unless --broker is given, a broker is started in-process on ephemeral loopback ports."},
        footerHeading = "%nExamples:%n",
        footer = {"  courier bench reqrep --compare", "  courier bench reqrep --compare --inflight 64",
                "  courier bench reqrep --compare --inflight 64 --inline",
                "  courier bench reqrep --compare --inflight 64 --idle-clients 1000 --broker tcp://127.0.0.1:5555",
                "  courier bench reqrep --raw --count 50000 --json",
                "  courier bench reqrep --broker tcp://127.0.0.1:5555"})
public final class ReqRepCommand implements Callable<Integer> {
    private static final String BENCHMARK = "reqrep";

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
            description = "Body size in bytes, 0 to 1048576 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", paramLabel = "N", defaultValue = "200000",
            description = "Round trips measured after the warm-up (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--inflight", paramLabel = "K", defaultValue = "1",
            description = "Requests kept in flight, 1 to 1024; 1 is a ping-pong (default: ${DEFAULT-VALUE}).")
    int inflight;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "50000",
            description = "Round trips before measuring, while the JIT warms up (default: ${DEFAULT-VALUE}).")
    int warmup;

    @ArgGroup(exclusive = true)
    Mode mode;

    @Option(names = "--broker", paramLabel = "EP",
            description = "Frontend of a running broker to measure, instead of one started in-process.")
    String broker;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Deadline of each request; a run with no reply for this long fails (default: "
                    + "${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--inline", description = "Run the worker's handler and the client's callbacks on their "
            + "connections' I/O threads (callbackExecutor Runnable::run), as an application with cheap, "
            + "non-blocking handlers would, instead of on Courier's thread pools.")
    boolean inline;

    @Option(names = "--idle-clients", paramLabel = "N", defaultValue = "0",
            description = "Courier clients connected to the broker and left idle during the run, 0 to 10000 (each "
                    + "is a full client with its own threads) (default: ${DEFAULT-VALUE}).")
    int idleClients;

    @Option(names = "--json", description = "Print one JSON object per run instead of text.")
    boolean json;

    /** At most one of --raw and --compare; neither means through the broker only. */
    static final class Mode {
        @Option(names = "--raw", required = true, description = "Measure raw JeroMQ DEALER/ROUTER only.")
        boolean raw;

        @Option(names = "--compare", required = true,
                description = "Measure raw JeroMQ, then through the broker, and print both with their ratios.")
        boolean compare;
    }

    @Override
    public Integer call() {
        ReqRepSettings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        return BenchExit.report(spec, "bench reqrep", json, () -> {
            if (mode != null && mode.compare) {
                Comparison<RunResult> comparison = new Comparison<>(run(RawReqRep.MODE, settings, err), null,
                        run(CourierReqRep.MODE, settings, err));
                return json ? Report.json(comparison) : Report.text(BENCHMARK, comparison);
            }
            RunResult result = run(mode != null && mode.raw ? RawReqRep.MODE : CourierReqRep.MODE, settings, err);
            return json ? Report.json(result) : Report.text(BENCHMARK, result);
        });
    }

    private RunResult run(String which, ReqRepSettings settings, PrintWriter err) {
        if (!json) {
            err.printf(Locale.ROOT, "%s %s: warming up (%,d round trips), then measuring %,d...%n", BENCHMARK, which,
                    settings.warmup(), settings.count());
            err.flush();
        }
        return which.equals(RawReqRep.MODE) ? RawReqRep.run(settings) : CourierReqRep.run(settings, broker, inline);
    }

    /** The options as settings, or a usage error naming the option at fault. */
    ReqRepSettings settings() {
        CommandLine cmd = spec.commandLine();
        Duration deadline = OptionChecks.deadline(cmd, timeout, broker);
        boolean raw = mode != null && mode.raw;
        OptionChecks.onlyThrough(cmd, idleClients != 0 && raw, "--idle-clients", "the broker", "--raw");
        OptionChecks.onlyThrough(cmd, broker != null && raw, "--broker", "the broker", "--raw");
        return OptionChecks.settings(cmd, () -> new ReqRepSettings(size, count, inflight, warmup, deadline,
                idleClients));
    }
}
