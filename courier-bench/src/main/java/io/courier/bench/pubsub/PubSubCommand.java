package io.courier.bench.pubsub;

import io.courier.bench.BenchExit;
import io.courier.bench.Comparison;
import io.courier.bench.InProcessBroker;
import io.courier.bench.OptionChecks;
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
 * {@code courier bench pubsub}: one publisher, N subscribers, through the broker's streams, over plain ZeroMQ
 * sockets through the broker, over raw JeroMQ, or all three in one process with their ratios. Runs on the calling
 * thread; exit code 0 (losses are reported, not failures), 2 for invalid options, 3 when nothing arrived, 1 for any
 * other failure.
 */
@Command(name = "pubsub", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish/subscribe throughput: messages delivered per subscriber per second, and what was "
                + "lost, through the broker's streams, over plain ZeroMQ sockets through the broker (--plain), over "
                + "raw JeroMQ (--raw), or all three with their ratios (--compare).",
                "Unless --broker is given, a broker is started in-process on ephemeral loopback ports."},
        footerHeading = "%nExamples:%n",
        footer = {"  courier bench pubsub --compare", "  courier bench pubsub --compare --subscribers 4 --json",
                "  courier bench pubsub --raw --count 200000",
                "  courier bench pubsub --broker tcp://127.0.0.1:5555"})
public final class PubSubCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
            description = "Body size in bytes, 0 to 1048576 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", paramLabel = "N", defaultValue = "300000",
            description = "Messages measured after the warm-up (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "100000",
            description = "Messages published before measuring, while the JIT warms up (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--subscribers", paramLabel = "N", defaultValue = "1",
            description = "Subscribers, 1 to 64, each counting what it receives (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--window", paramLabel = "N", defaultValue = "100000",
            description = "Courier publisher's maxInFlight: unconfirmed publishes at most, 1 to 100000; its flow "
                    + "control waits while that many are out (default: ${DEFAULT-VALUE}, the client's default).")
    int window;

    @Option(names = "--rate", paramLabel = "MSGS_PER_S", defaultValue = "0",
            description = "Publish at this rate, to measure latency below saturation; 0 publishes as fast as "
                    + "possible (default: ${DEFAULT-VALUE}).")
    int rate;

    @ArgGroup(exclusive = true)
    Mode mode;

    @Option(names = "--broker", paramLabel = "EP",
            description = "Frontend of a running broker to measure, instead of one started in-process.")
    String broker;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "A run ends when no message arrives for this long; what is still missing is reported "
                    + "(default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--inline", description = "Run the listeners and the publisher's confirmation callbacks on the "
            + "clients' I/O threads (callbackExecutor Runnable::run) instead of their callback threads.")
    boolean inline;

    @Option(names = "--json", description = "Print one JSON object per run instead of text.")
    boolean json;

    /** At most one of --raw, --plain and --compare; none means through the broker's streams only. */
    static final class Mode {
        @Option(names = "--raw", required = true, description = "Measure raw JeroMQ PUB/SUB only.")
        boolean raw;

        @Option(names = "--plain", required = true,
                description = "Measure plain ZeroMQ PUB/SUB sockets through the in-process broker only.")
        boolean plain;

        @Option(names = "--compare", required = true,
                description = "Measure raw JeroMQ, plain sockets through the broker (in-process broker only), then "
                        + "the broker's streams, and print them with their ratios.")
        boolean compare;
    }

    @Override
    public Integer call() {
        PubSubSettings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        return BenchExit.report(spec, "bench pubsub", json, () -> {
            if (mode != null && mode.compare) {
                Comparison<PubSubResult> comparison = new Comparison<>(run(ZmqPubSub.RAW, settings, err),
                        broker == null ? run(ZmqPubSub.PLAIN, settings, err) : null,
                        run(CourierPubSub.MODE, settings, err));
                return json ? PubSubReport.json(comparison) : PubSubReport.text(comparison);
            }
            String which = mode == null ? CourierPubSub.MODE : mode.raw ? ZmqPubSub.RAW : ZmqPubSub.PLAIN;
            PubSubResult result = run(which, settings, err);
            return json ? PubSubReport.json(result) : PubSubReport.text(result);
        });
    }

    private PubSubResult run(String which, PubSubSettings settings, PrintWriter err) {
        if (!json) {
            err.printf(Locale.ROOT, "pubsub %s: warming up (%,d messages), then measuring %,d...%n", which,
                    settings.warmup(), settings.count());
            err.flush();
        }
        if (which.equals(ZmqPubSub.RAW)) {
            return ZmqPubSub.raw(settings);
        }
        if (broker != null) {
            return CourierPubSub.run(settings, broker, inline);
        }
        try (InProcessBroker inProcess = InProcessBroker.start()) {
            return which.equals(ZmqPubSub.PLAIN)
                    ? ZmqPubSub.plain(settings, inProcess.broker().publishEndpoint(),
                            inProcess.broker().subscribeEndpoint())
                    : CourierPubSub.run(settings, inProcess.broker().frontendEndpoint(), inline);
        }
    }

    /** The options as settings, or a usage error naming the option at fault. */
    PubSubSettings settings() {
        CommandLine cmd = spec.commandLine();
        Duration deadline = OptionChecks.deadline(cmd, timeout, broker);
        OptionChecks.onlyThrough(cmd, broker != null && mode != null && (mode.raw || mode.plain), "--broker",
                "the broker's streams", mode != null && mode.raw ? "--raw" : "--plain");
        return OptionChecks.settings(cmd, () -> new PubSubSettings(size, count, warmup, subscribers, window, deadline,
                rate));
    }
}
