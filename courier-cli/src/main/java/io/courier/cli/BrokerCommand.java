package io.courier.cli;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.BrokerConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier broker}: runs the broker in the foreground until SIGTERM or Ctrl-C, then closes it and exits 0.
 * Runs on the calling thread; the signal handler and the shutdown hook only ask it to stop.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the broker in the foreground until Ctrl-C or SIGTERM.",
                "Settings: flags, then COURIER_* environment variables, then the --config file, then defaults."},
        footer = {"", "Examples:",
                "  courier broker --config conf/courier.yaml",
                "  courier broker --frontend tcp://0.0.0.0:5555 --data /var/lib/courier"})
final class BrokerCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (default: conf/courier.yaml of the distribution, if any).")
    private Path config;

    @Option(names = "--frontend", paramLabel = "EP", description = "Frontend endpoint (ROUTER), like "
            + "tcp://127.0.0.1:5555; tcp://127.0.0.1:* picks a free port.")
    private String frontend;

    @Option(names = "--publish", paramLabel = "EP", description = "Publish endpoint (XSUB).")
    private String publish;

    @Option(names = "--subscribe", paramLabel = "EP", description = "Subscribe endpoint (XPUB).")
    private String subscribe;

    @Option(names = "--http", paramLabel = "HOST:PORT|off", description = "Metrics and health endpoint, or off.")
    private String http;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory.")
    private Path data;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** Asks a running {@code call()} to close the broker and return: what SIGTERM and Ctrl-C do. */
    void stop() {
        stopRequested.countDown();
    }

    @Override
    public Integer call() {
        Path file = configFile();
        BrokerConfig settings = BrokerConfigLoader.load(file, System.getenv(), overrides());
        Runnable restoreLogging = Logging.courierAtInfo();
        try {
            Broker broker = Broker.start(settings);
            StopSignals signals = StopSignals.install(this::stop, broker::close);
            try {
                printEndpoints(broker, file);
                awaitStop(broker);
            } finally {
                broker.close();
                signals.close();
            }
            return ExitCodes.OK;
        } finally {
            restoreLogging.run();
        }
    }

    private Path configFile() {
        if (config != null) {
            return config;
        }
        String home = System.getProperty("courier.home");
        if (home != null) {
            Path packaged = Path.of(home, "conf", "courier.yaml");
            if (Files.isRegularFile(packaged)) {
                return packaged;
            }
        }
        return null;
    }

    private Map<String, String> overrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("endpoints.frontend", frontend);
        overrides.put("endpoints.publish", publish);
        overrides.put("endpoints.subscribe", subscribe);
        overrides.put("endpoints.http", http);
        overrides.put("dataDir", data == null ? null : data.toString());
        overrides.values().removeIf(v -> v == null);
        return overrides;
    }

    private void printEndpoints(Broker broker, Path file) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("frontend   %s%n", broker.frontendEndpoint());
        out.printf("publish    %s%n", broker.publishEndpoint());
        out.printf("subscribe  %s%n", broker.subscribeEndpoint());
        out.printf("http       %s%n", broker.httpEndpoint());
        out.printf("config     %s%n", file == null ? "(embedded defaults)" : file);
        out.printf("data       %s%n", broker.config().dataDir().toAbsolutePath());
        out.println("broker running; Ctrl-C or SIGTERM stops it");
        out.flush();
    }

    /** Returns when asked to stop (signal, {@link #stop()}, interrupt) or when the broker ends by itself. */
    private void awaitStop(Broker broker) {
        try {
            while (!stopRequested.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (broker.awaitTermination(Duration.ZERO)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // treated as a stop request; close() follows
        }
    }
}
