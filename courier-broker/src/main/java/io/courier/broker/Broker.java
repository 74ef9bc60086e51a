package io.courier.broker;

import io.courier.broker.admin.HttpEndpoint;
import io.courier.broker.admin.StatusDocument;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.metrics.BrokerStats;
import io.courier.broker.security.BrokerSecurity;
import io.courier.broker.transport.BrokerLoop;
import io.courier.broker.transport.QueueBacking;
import io.courier.core.ConfigException;
import io.courier.core.CourierException;
import io.courier.store.DurableStore;
import java.time.Duration;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Courier broker as a library. {@link #start} binds every endpoint and returns a running broker.
 *
 * <p>Thread-safe: every method may be called from any thread. One event loop thread ({@code courier-broker})
 * owns the ZeroMQ sockets; the methods here only read counters or queue commands for it. The HTTP endpoint, when
 * on, runs on its own daemon threads.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final long BIND_WAIT_SECONDS = 10;
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final AtomicReference<BrokerConfig> config;
    private final BrokerMetrics metrics;
    private final BrokerLoop loop;
    private final BrokerLoop.Bound bound;
    private final BrokerCounters counters;
    private final HttpEndpoint http;
    private final DurableStore store;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Broker(BrokerConfig config, BrokerMetrics metrics, BrokerLoop loop, BrokerLoop.Bound bound,
                   BrokerCounters counters, HttpEndpoint http, DurableStore store) {
        this.config = new AtomicReference<>(config);
        this.metrics = metrics;
        this.loop = loop;
        this.bound = bound;
        this.counters = counters;
        this.http = http;
        this.store = store;
    }

    /**
     * Binds the endpoints of {@code config} and starts the event loop. Returns once every endpoint is bound.
     *
     * @throws ConfigException when an endpoint cannot be bound (port in use, bad address): the message names the
     *                         endpoint and the cause in one line
     * @throws io.courier.store.StorageException when the store in the data directory cannot be opened or read
     *                         (unwritable, locked by another broker, corrupt): one line naming the directory
     */
    public static Broker start(BrokerConfig config) {
        Objects.requireNonNull(config, "config");
        StatusDocument.warmUp();
        BrokerCounters counters = new BrokerCounters();
        BrokerMetrics metrics = new BrokerMetrics();
        String brokerId = UUID.randomUUID().toString();
        DurableStore store = BrokerStore.open(config, metrics.queues().storeHooks());
        QueueBacking backing = BrokerStore.recover(store, config);   // before the loop takes any traffic
        BrokerLoop loop = new BrokerLoop(config, metrics, counters, brokerId, backing);
        BrokerLoop.Bound bound;
        try {
            loop.start();
            bound = awaitBound(loop);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        HttpEndpoint http = null;
        if (!"off".equals(config.endpoints().http())) {
            try {
                http = HttpEndpoint.start(config.endpoints().http(), metrics, loop::isRunning,
                        loop::isReady, loop::status);
                loop.setHttpUrl(http.url());
            } catch (RuntimeException e) {
                loop.stop(STOP_WAIT_MILLIS);
                store.close();
                throw e;
            }
        }
        Broker broker = new Broker(config, metrics, loop, bound, counters, http, store);
        LOG.info("broker started frontend={} publish={} subscribe={} http={} brokerId={}", bound.frontend(),
                bound.publish(), bound.subscribe(), broker.httpEndpoint(), brokerId);
        BrokerSecurity.warnIfExposed(config.security(), List.of(bound.frontend(), bound.publish(), bound.subscribe()));
        return broker;
    }

    private static BrokerLoop.Bound awaitBound(BrokerLoop loop) {
        try {
            return loop.bound().get(BIND_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            loop.stop(STOP_WAIT_MILLIS);
            if (e.getCause() instanceof CourierException failure) {
                throw failure;
            }
            throw new CourierException(CourierException.Reason.UNAVAILABLE, "broker start failed", e.getCause());
        } catch (TimeoutException e) {
            loop.stop(STOP_WAIT_MILLIS);
            throw new CourierException(CourierException.Reason.UNAVAILABLE, "broker start timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.stop(STOP_WAIT_MILLIS);
            throw new CourierException(CourierException.Reason.CLOSED, "broker start interrupted", e);
        }
    }

    /** The settings this broker runs with (the latest applied by {@link #reload}). */
    public BrokerConfig config() {
        return config.get();
    }

    /**
     * Reloads the configuration: {@code loader} reads it anew (the file, the environment, the flags). What can
     * change live is applied on the loop (heartbeats, request handling, limits); a changed endpoint, data
     * directory or handshake timeout is reported as needing a restart, and stays as it was. When {@code loader}
     * throws {@link ConfigException}, the running configuration stays in force, the reason is logged and returned,
     * and the {@code courier_config_valid} metric drops to 0. Any thread; waits up to 5s for the loop.
     */
    public ReloadReport reload(Supplier<BrokerConfig> loader) {
        BrokerConfig next;
        try {
            next = loader.get();
        } catch (ConfigException e) {
            metrics.onConfigReload(false);
            LOG.warn("config reload rejected, previous configuration kept error={}", e.getMessage());
            return new ReloadReport(List.of(), List.of(), e.getMessage());
        }
        BrokerConfig previous = config.get();
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        ConfigDiff.compare(previous, next, applied, restart);
        BrokerConfig live = next.withEndpoints(previous.endpoints()).withDataDir(previous.dataDir())
                .withStore(previous.store())
                .withLimits(next.limits().withHandshakeTimeout(previous.limits().handshakeTimeout()));
        try {
            loop.reconfigure(live).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            metrics.onConfigReload(false);
            return new ReloadReport(List.of(), List.of(), "broker did not take the new configuration: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReloadReport(List.of(), List.of(), "interrupted");
        }
        config.set(live);
        metrics.onConfigReload(true);
        LOG.info("config reloaded applied={} needsRestart={}", applied, restart);
        if (!restart.isEmpty()) {
            LOG.warn("config changes need a restart to take effect keys={}", restart);
        }
        return new ReloadReport(applied, restart, null);
    }

    /**
     * Stops gracefully: new requests are answered UNAVAILABLE at once, queued and in-flight requests get up to
     * {@code drain} to finish, then the broker closes as {@link #close()} does (what is still unfinished is
     * answered UNAVAILABLE). Blocks until stopped, at most {@code drain} plus about two seconds.
     */
    public void shutdown(Duration drain) {
        if (closed.get()) {
            awaitTermination(Duration.ofMillis(STOP_WAIT_MILLIS));
            return;
        }
        loop.drain(drain.toMillis());
        awaitTermination(drain.plusMillis(STOP_WAIT_MILLIS));
        close();
    }

    /** The bound frontend endpoint, concrete ({@code tcp://127.0.0.1:41234} when configured with {@code *}). */
    public String frontendEndpoint() {
        return bound.frontend();
    }

    /** The bound publish (XSUB) endpoint, concrete. */
    public String publishEndpoint() {
        return bound.publish();
    }

    /** The bound subscribe (XPUB) endpoint, concrete. */
    public String subscribeEndpoint() {
        return bound.subscribe();
    }

    /** The HTTP endpoint as a URL ({@code http://127.0.0.1:9555}), or {@code "off"}. */
    public String httpEndpoint() {
        return http == null ? "off" : http.url();
    }

    /** Counters, read without stopping the loop. */
    public BrokerStats stats() {
        return counters.snapshot();
    }

    /** The status document (services, workers, queued requests, connections) as JSON, built on the loop. */
    public CompletableFuture<String> status() {
        return loop.status();
    }

    /** Waits until the broker has stopped (after {@link #close()}); true when it stopped in time. */
    public boolean awaitTermination(Duration timeout) {
        try {
            loop.terminated().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;   // never completed exceptionally; kept for the checked signature
        }
    }

    /**
     * Stops: answers queued requests UNAVAILABLE, tells workers to disconnect, closes the sockets and the HTTP
     * endpoint, ends the loop thread, then flushes and closes the store. Bounded (about two seconds, plus the
     * store's flush), idempotent, callable from any thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitTermination(Duration.ofMillis(STOP_WAIT_MILLIS));
            return;
        }
        if (http != null) {
            http.close();
        }
        loop.stop(STOP_WAIT_MILLIS);
        store.close();   // after the loop: what it journaled is written, synced and flushed
    }

    @Override
    public String toString() {
        return "Broker[" + bound.frontend() + "]";
    }
}
