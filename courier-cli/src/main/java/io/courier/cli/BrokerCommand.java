package io.courier.cli;

import io.courier.broker.Broker;
import io.courier.broker.ReloadReport;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.BrokerConfigLoader;
import io.courier.core.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code courier broker}: runs the broker in the foreground until SIGTERM or Ctrl-C, then drains it (up to
 * {@code shutdown.drainTimeout}) and exits 0; a second signal exits at once. Reloads the configuration on SIGHUP
 * and when the config file changes, applying what can change live. Runs on the calling thread; the signal
 * handlers only ask it to stop or to reload, and reloads run on the config watch thread.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the broker in the foreground until Ctrl-C or SIGTERM.",
                "Settings: flags, then COURIER_* environment variables, then the --config file, then defaults.",
                "Saving the config file or SIGHUP reloads it; a second Ctrl-C or SIGTERM stops without draining."},
        footer = {"", "Examples:",
                "  courier broker --config conf/courier.yaml",
                "  courier broker --frontend tcp://0.0.0.0:5555 --data /var/lib/courier",
                "  courier broker --log-format json --log-level DEBUG"})
final class BrokerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);
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

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "TRACE, DEBUG, INFO, WARN or ERROR (key log.level, default INFO).")
    private String logLevel;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "Log lines on stderr as text or one JSON object per line (key log.format, default text).")
    private String logFormat;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** Asks a running {@code call()} to drain the broker and return: what SIGTERM and Ctrl-C do. */
    void stop() {
        stopRequested.countDown();
    }

    @Override
    public Integer call() {
        Path file = configFile();
        Map<String, String> overrides = overrides();
        Supplier<BrokerConfig> loader = () -> BrokerConfigLoader.load(file, System.getenv(), overrides);
        BrokerConfig settings = loader.get();
        try (Logging logging = Logging.take(settings.log())) {
            Broker broker = Broker.start(settings);
            StopSignals signals = StopSignals.install(this::stop, () -> drain(broker));
            ConfigWatcher watcher = ConfigWatcher.start(file, trigger -> reload(broker, trigger, loader, logging));
            Optional<Runnable> hangup = SignalHandlers.handle("HUP", () -> watcher.request("SIGHUP"));
            if (hangup.isEmpty()) {
                LOG.info("SIGHUP not handled in this process; saving the config file still reloads it");
            }
            try {
                printEndpoints(broker, file, hangup.isPresent());
                awaitStop(broker);
            } finally {
                hangup.ifPresent(Runnable::run);
                watcher.close();
                drain(broker);
                signals.close();
            }
            return ExitCodes.OK;
        }
    }

    private static void drain(Broker broker) {
        Duration drain = broker.config().shutdown().drainTimeout();
        LOG.info("broker stopping drainTimeout={}", Durations.format(drain));
        broker.shutdown(drain);
    }

    /** Re-reads the configuration into the running broker and says what happened; on the config watch thread. */
    private void reload(Broker broker, String trigger, Supplier<BrokerConfig> loader, Logging logging) {
        LOG.info("config reload requested trigger={}", trigger);
        ReloadReport report = broker.reload(loader);
        PrintWriter out = spec.commandLine().getOut();
        if (report.ok()) {
            logging.apply(broker.config().log());
            out.printf("config reloaded (%s): applied %s; needs a restart: %s%n", trigger, listed(report.applied()),
                    listed(report.needsRestart()));
        } else {
            out.printf("config rejected (%s), previous configuration kept: %s%n", trigger,
                    report.error().replaceFirst(" \\[reason=[A-Z_]+]$", ""));
        }
        out.flush();
    }

    private static String listed(List<String> keys) {
        return keys.isEmpty() ? "none" : String.join(", ", keys);
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
        overrides.put("log.level", logLevel == null ? System.getProperty(Logging.LEVEL_PROPERTY) : logLevel);
        overrides.put("log.format", logFormat);
        overrides.values().removeIf(v -> v == null);
        return overrides;
    }

    private void printEndpoints(Broker broker, Path file, boolean hangup) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("frontend   %s%n", broker.frontendEndpoint());
        out.printf("publish    %s%n", broker.publishEndpoint());
        out.printf("subscribe  %s%n", broker.subscribeEndpoint());
        out.printf("http       %s%n", broker.httpEndpoint());
        out.printf("config     %s%n", file == null ? "(embedded defaults)" : file);
        out.printf("data       %s%n", broker.config().dataDir().toAbsolutePath());
        out.println("broker running; Ctrl-C or SIGTERM stops it" + (hangup ? ", SIGHUP reloads the config" : ""));
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
            Thread.currentThread().interrupt();   // treated as a stop request; the drain follows
        }
    }
}
