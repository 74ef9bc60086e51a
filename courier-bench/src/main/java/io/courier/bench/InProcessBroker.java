package io.courier.bench;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A broker started for one run on ephemeral loopback ports, with its data directory in a fresh temporary
 * directory that {@link #close()} deletes. Thread-safe, like the broker.
 */
public final class InProcessBroker implements AutoCloseable {
    private final Path dataDir;
    private final Broker broker;

    private InProcessBroker(Path dataDir, Broker broker) {
        this.dataDir = dataDir;
        this.broker = broker;
    }

    /** A broker with {@link BrokerConfig#ephemeral} settings. */
    public static InProcessBroker start() {
        return start(UnaryOperator.identity());
    }

    /** A broker with {@link BrokerConfig#ephemeral} settings as changed by {@code tune} (store, queue limits). */
    public static InProcessBroker start(UnaryOperator<BrokerConfig> tune) {
        Path dir;
        try {
            dir = Files.createTempDirectory("courier-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        try {
            return new InProcessBroker(dir, Broker.start(tune.apply(BrokerConfig.ephemeral(dir))));
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    public Broker broker() {
        return broker;
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the run for
        }
    }
}
