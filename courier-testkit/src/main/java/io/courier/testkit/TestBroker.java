package io.courier.testkit;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.client.ClientConfig;
import io.courier.client.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded broker for tests: loopback ephemeral ports, http off, short heartbeats (100ms, liveness 5), its
 * store in a directory the test owns (a {@code @TempDir}). It remembers the frontend endpoint it bound, so
 * {@link #restart()} brings a new broker up on the same port and clients can reconnect to it.
 *
 * <p>Not thread-safe: start, restart and close it from the test thread. {@link #broker()} may be used from any
 * thread (the broker is thread-safe). Every start and stop is bounded.
 */
public final class TestBroker implements AutoCloseable {
    /** Broker heartbeat interval used by tests. */
    public static final Duration HEARTBEAT = Duration.ofMillis(100);
    /** Broker heartbeat liveness used by tests. */
    public static final int LIVENESS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(TestBroker.class);
    private static final Duration REBIND_PATIENCE = Duration.ofSeconds(5);

    private final BrokerConfig config;
    private String frontend;
    private Broker broker;

    private TestBroker(BrokerConfig config, Broker broker) {
        this.broker = broker;
        this.frontend = broker.frontendEndpoint();
        this.config = config.withFrontend(frontend);
    }

    /** The test settings: {@link BrokerConfig#ephemeral(Path)} with {@link #HEARTBEAT} x {@link #LIVENESS}. */
    public static BrokerConfig config(Path dataDir) {
        return BrokerConfig.ephemeral(dataDir).withHeartbeat(new BrokerConfig.Heartbeat(HEARTBEAT, LIVENESS));
    }

    /** Starts a broker with {@link #config(Path)}. */
    public static TestBroker start(Path dataDir) {
        return start(config(dataDir));
    }

    /**
     * Starts a broker with the given settings. A frontend of {@code tcp://127.0.0.1:*} binds a free port, and
     * that concrete endpoint is kept for restarts.
     */
    public static TestBroker start(BrokerConfig config) {
        Objects.requireNonNull(config, "config");
        Broker broker = Broker.start(config);
        TestBroker test = new TestBroker(config, broker);
        LOG.info("test broker started frontend={}", test.frontend);
        return test;
    }

    /** The bound frontend endpoint, like {@code tcp://127.0.0.1:41234}; the same across restarts. */
    public String endpoint() {
        return frontend;
    }

    /** The running broker (the newest one after a restart). */
    public Broker broker() {
        if (broker == null) {
            throw new IllegalStateException("test broker is stopped [frontend=" + frontend + "]");
        }
        return broker;
    }

    /** The settings of the running broker, its frontend made concrete. */
    public BrokerConfig config() {
        return config;
    }

    public boolean isRunning() {
        return broker != null;
    }

    /**
     * Client settings for tests against this broker: heartbeats 100ms x 5, reconnects 20ms to 200ms, requests
     * 5s without retry.
     */
    public ClientConfig clientConfig() {
        return clientConfig(frontend);
    }

    /** Like {@link #clientConfig()} for any list of endpoints. */
    public static ClientConfig clientConfig(String... endpoints) {
        return ClientConfig.of(endpoints)
                .withName("test")
                .withHeartbeat(HEARTBEAT, LIVENESS)
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200))
                .withDefaults(RequestOptions.of(Duration.ofSeconds(5), 0));
    }

    /** Workers registered with the running broker now, all services together. */
    public int workers() {
        return (int) broker().stats().workers();
    }

    /** Requests waiting in the running broker's service queues for a worker, all services together. */
    public long queuedRequests() {
        return broker().stats().queuedRequests();
    }

    /** Malformed messages the running broker has counted since it started. */
    public long malformedMessages() {
        return broker().stats().malformedMessages();
    }

    /**
     * Waits up to 5 seconds until exactly {@code count} workers are registered (the slow-joiner wait before
     * sending requests that must reach a given set of workers).
     */
    public void awaitWorkers(int count) {
        Awaitility.await(count + " workers registered with " + frontend).atMost(Duration.ofSeconds(5))
                .pollInSameThread().pollInterval(Duration.ofMillis(10))
                .until(() -> workers() == count);
    }

    /** Closes the broker, keeping the endpoint for {@link #restart()}. Idempotent. */
    public void stop() {
        Broker running = broker;
        broker = null;
        if (running != null) {
            running.close();
            LOG.info("test broker stopped frontend={}", frontend);
        }
    }

    /**
     * Stops the broker if it runs and starts a new one on the same frontend endpoint and data directory. Retries
     * the bind for up to 5 seconds in case the port is not free yet.
     *
     * @throws AssertionError when the port cannot be bound again in time (its cause is the last failure)
     */
    public void restart() {
        stop();
        AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();
        AtomicReference<Broker> started = new AtomicReference<>();
        try {
            Awaitility.await("broker rebinds " + frontend).atMost(REBIND_PATIENCE).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try {
                            started.set(Broker.start(config));
                            return true;
                        } catch (RuntimeException e) {
                            lastFailure.set(e);
                            LOG.debug("test broker rebind failed frontend={} error={}", frontend, e.toString());
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("broker could not bind " + frontend + " again", lastFailure.get());
        }
        broker = started.get();
        LOG.info("test broker restarted frontend={}", frontend);
    }

    /** Stops the broker. Idempotent, bounded. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "TestBroker[" + frontend + (broker == null ? ", stopped" : "") + "]";
    }
}
