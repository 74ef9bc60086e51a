package io.courier.bench.queue;

import io.courier.bench.BenchExit;
import io.courier.bench.InProcessBroker;
import io.courier.bench.OptionChecks;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.QueuesConfig;
import io.courier.broker.config.StoreConfig;
import io.courier.broker.queue.QueueSettings;
import io.courier.store.SyncPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code courier bench queue}: durable-queue throughput and confirm latency, producers alone and then end to end
 * with consumers acking, through an in-process broker with the given sync policy or a running one. Runs on the
 * calling thread; exit code 0 (losses are reported, not failures), 2 for invalid options, 3 when the run stalled
 * (no confirm or delivery for the timeout), 1 for any other failure.
 */
@Command(name = "queue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Durable queues: confirmed enqueues per second and confirm latency (p50/p99/p99.9/max) with "
                + "producers alone, then acked messages per second end to end with consumers, and what was lost or "
                + "delivered twice.",
                "Unless --broker is given, a broker is started in-process on ephemeral loopback ports with a fresh "
                        + "temporary data directory (deleted afterwards) and the given --sync policy."},
        footerHeading = "%nExamples:%n",
        footer = {"  courier bench queue", "  courier bench queue --sync never --producers 2 --window 2000 --json",
                "  courier bench queue --broker tcp://127.0.0.1:5555 --count 50000"})
public final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
            description = "Body size in bytes, 0 to 1048576 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", paramLabel = "N", defaultValue = "200000",
            description = "Messages measured in each phase, all producers together (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "50000",
            description = "Messages enqueued before each phase and not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--producers", paramLabel = "P", defaultValue = "1",
            description = "Producers, 1 to 64, each its own client (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--consumers", paramLabel = "C", defaultValue = "1",
            description = "Consumers, 1 to 64, each its own client (default: ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--window", paramLabel = "N", defaultValue = "1000",
            description = "Unconfirmed enqueues per producer at most, 1 to 100000 (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "256",
            description = "Unacked deliveries per consumer at most, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int prefetch;

    @Option(names = "--sync", paramLabel = "POLICY",
            description = "The in-process broker's store.syncPolicy: always, interval or never (default: always).")
    String sync;

    @Option(names = "--broker", paramLabel = "EP",
            description = "Frontend of a running broker to measure, instead of one started in-process.")
    String broker;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "A phase fails when no confirm came for this long, and ends when no delivery came for "
                    + "this long (what is missing then is reported lost) (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--inline", description = "Run the producers' confirmation callbacks and the consumers' "
            + "handlers on the clients' I/O threads (callbackExecutor Runnable::run) instead of their callback "
            + "threads.")
    boolean inline;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        QueueBenchSettings settings = settings();
        SyncPolicy policy = syncPolicy();
        PrintWriter progress = json ? null : spec.commandLine().getErr();
        return BenchExit.report(spec, "bench queue", json, () -> {
            QueueResult result;
            if (broker != null) {
                result = new QueueRun(settings, broker, progress, inline)
                        .run(inline ? "broker-inline" : "broker", "broker's own");
            } else {
                try (InProcessBroker inProcess = InProcessBroker.start(config -> tune(config, settings, policy))) {
                    String frontend = inProcess.broker().frontendEndpoint();
                    result = new QueueRun(settings, frontend, progress, inline)
                            .run(inline ? "in-process-inline" : "in-process", policy.name().toLowerCase(Locale.ROOT));
                }
            }
            return json ? QueueReport.json(result) : QueueReport.text(result);
        });
    }

    /**
     * The in-process broker's settings: the sync policy, a store mailbox and queue limits large enough for a
     * phase's messages and windows, so that the run measures the path rather than the default limits.
     */
    static BrokerConfig tune(BrokerConfig config, QueueBenchSettings settings, SyncPolicy policy) {
        StoreConfig store = config.store();
        long pending = 2 * (settings.unconfirmedAtMost() + (long) settings.consumers() * settings.prefetch());
        int mailbox = (int) Math.min(Integer.MAX_VALUE, Math.max(store.mailboxCapacity(), pending));
        QueueSettings defaults = config.queues().defaults();
        int maxMessages = (int) Math.min(Integer.MAX_VALUE, Math.max(defaults.maxMessages(), 2 * settings.total()));
        long maxBytes = Math.max(defaults.maxBytes(), 2 * settings.total() * (settings.size() + 512L));
        return config.withStore(new StoreConfig(policy, store.syncInterval(), mailbox, store.maxBatchWrites()))
                .withQueues(new QueuesConfig(defaults.withMaxMessages(maxMessages).withMaxBytes(maxBytes), Map.of()));
    }

    /** The options as settings, or a usage error naming the option at fault. */
    QueueBenchSettings settings() {
        CommandLine cmd = spec.commandLine();
        Duration deadline = OptionChecks.deadline(cmd, timeout, broker);
        if (broker != null && sync != null) {
            throw new ParameterException(cmd, "--sync applies to the in-process broker only; a broker given with "
                    + "--broker keeps its own store.syncPolicy");
        }
        syncPolicy();
        return OptionChecks.settings(cmd, () -> new QueueBenchSettings(size, count, warmup, producers, consumers,
                window, prefetch, deadline));
    }

    /** The --sync policy (always when not given), or a usage error. */
    private SyncPolicy syncPolicy() {
        if (sync == null) {
            return SyncPolicy.ALWAYS;
        }
        for (SyncPolicy p : SyncPolicy.values()) {
            if (p.name().equalsIgnoreCase(sync)) {
                return p;
            }
        }
        throw new ParameterException(spec.commandLine(), "--sync must be always, interval or never, got " + sync);
    }
}
