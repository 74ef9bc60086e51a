package io.courier.broker.metrics;

import io.courier.broker.stream.StreamMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The broker's Prometheus metrics ({@code courier_} names), in a registry of its own so that many brokers can share
 * a JVM. Update methods run on the broker loop thread ({@code courier-broker}) only; scrapes read from the HTTP
 * threads through {@link #registry()}.
 *
 * <p>Families: {@code courier_requests_total{service,outcome}}, {@code courier_requests_received_total{service}},
 * {@code courier_request_duration_seconds{service}} (histogram, 50&nbsp;&micro;s to 10&nbsp;s),
 * {@code courier_workers{service}}, {@code courier_queued_requests{service}},
 * {@code courier_malformed_messages_total{reason}}, {@code courier_heartbeat_expiries_total{role}},
 * {@code courier_connections}, {@code courier_connections_refused_total}, {@code courier_send_failures_total{reason}},
 * {@code courier_auth_failures_total{reason}}, {@code courier_access_denied_total{operation}}, plus the client
 * library's {@code jvm_*}
 * and {@code process_*} metrics.
 *
 * <p>Cost: the data points of each label value are looked up once and cached in plain {@link HashMap}s that only the
 * loop thread touches (no locks; an update is a map lookup plus the Prometheus client's own lock-free add).
 *
 * <p>Cardinality: the first {@value #MAX_SERVICES} distinct service names get series of their own, kept for the
 * broker's lifetime; every later name is reported under {@code service="_other"}. For the gauges, {@code _other}
 * holds the sum over those services. The {@code reason} and {@code role} labels are capped the same way at
 * {@value #MAX_REASONS} values.
 */
public final class BrokerMetrics {
    /** How many distinct {@code service} label values get series of their own. */
    public static final int MAX_SERVICES = 1_000;
    /** How many distinct {@code reason} (or {@code role}) label values get series of their own. */
    public static final int MAX_REASONS = 64;

    /** Request latency buckets in seconds: 50 us to 10 s, roughly 1-2.5-5 per decade. */
    private static final double[] DURATION_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    };
    private static final double NANOS_PER_SECOND = 1e9;

    /** How a request ended, the {@code outcome} label of {@code courier_requests_total}. */
    public enum Outcome { OK, SERVICE_ERROR, EXPIRED, UNKNOWN_SERVICE, QUEUE_FULL, TOO_LARGE, UNAVAILABLE }

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final String[] OUTCOME_LABELS = outcomeLabels();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Counter requestsReceived;
    private final Histogram requestDuration;
    private final Gauge workers;
    private final Gauge queued;
    private final Counter malformed;
    private final Counter heartbeatExpiries;
    private final Gauge connections;
    private final Counter connectionsRefused;
    private final Counter sendFailures;
    private final Counter configReloads;
    private final Counter sessions;
    private final Gauge configValid;
    private final Counter authFailures;
    private final Counter accessDenied;
    private final StreamMetricsExporter streamMetrics;
    private final QueueMetricsExporter queueMetrics;

    // Confined to the broker loop thread, like every update method below.
    private final LabelCache<Series> services;
    private final LabelCache<CounterDataPoint> malformedByReason;
    private final LabelCache<CounterDataPoint> expiriesByRole;
    private final LabelCache<CounterDataPoint> sendFailuresByReason;
    private final Map<String, Integer> otherWorkers = new HashMap<>();
    private final Map<String, Integer> otherQueued = new HashMap<>();

    /** Creates the metric families, and the JVM metrics, in a new registry. */
    public BrokerMetrics() {
        requests = counter("courier_requests_total", "Requests that ended, by service and outcome",
            "service", "outcome");
        requestsReceived = counter("courier_requests_received_total", "Requests received, by service", "service");
        requestDuration = Histogram.builder()
            .name("courier_request_duration_seconds")
            .help("Time from a request's arrival to its end, by service")
            .unit(Unit.SECONDS)
            .labelNames("service")
            .classicOnly()
            .classicUpperBounds(DURATION_BUCKETS)
            .register(registry);
        workers = gauge("courier_workers", "Workers registered for the service now", "service");
        queued = gauge("courier_queued_requests", "Requests waiting for a worker of the service now", "service");
        malformed = counter("courier_malformed_messages_total", "Malformed messages dropped or refused", "reason");
        heartbeatExpiries = counter("courier_heartbeat_expiries_total",
            "Peers dropped after going silent past the liveness window, by role", "role");
        connections = gauge("courier_connections", "Peers the broker knows now");
        connectionsRefused = counter("courier_connections_refused_total",
            "New peers refused with DISCONNECT because the broker tracked limits.maxConnections peers");
        sendFailures = counter("courier_send_failures_total", "Sends to a peer that failed, by reason", "reason");
        sessions = counter("courier_sessions_total",
            "Sessions opened by Courier clients and workers (HELLO): first connections plus every reconnect");
        configReloads = counter("courier_config_reloads_total",
            "Configuration reloads tried, by result (applied, invalid)", "result");
        configValid = gauge("courier_config_valid",
            "1 when the configuration last read is valid and in force, 0 when the file on disk is invalid");
        configValid.set(1);
        authFailures = counter("courier_auth_failures_total",
            "Connections refused by authentication (ZAP), by reason (unknown_key, ip_denied, ip_not_allowed, ...)",
            "reason");
        accessDenied = counter("courier_access_denied_total",
            "Operations refused by access control (security.rules), by operation (call, serve, publish, ...)",
            "operation");
        streamMetrics = new StreamMetricsExporter(registry, MAX_SERVICES);
        queueMetrics = new QueueMetricsExporter(registry);
        JvmMetrics.builder().register(registry);

        services = new LabelCache<>("service", MAX_SERVICES, Series::new);
        malformedByReason = new LabelCache<>("reason", MAX_REASONS, malformed::labelValues);
        expiriesByRole = new LabelCache<>("role", MAX_REASONS, heartbeatExpiries::labelValues);
        sendFailuresByReason = new LabelCache<>("reason", MAX_REASONS, sendFailures::labelValues);
    }

    /** The streams core's metrics, registered here. Loop thread only, like the update methods. */
    public StreamMetrics streams() {
        return streamMetrics;
    }

    /** Durable queues' and the store's metrics, registered here. */
    public QueueMetricsExporter queues() {
        return queueMetrics;
    }

    /** The registry holding these metrics (and the JVM metrics); any thread may scrape it. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** A request for {@code service} arrived (any protocol). */
    public void onRequest(String service) {
        services.get(Objects.requireNonNull(service, "service")).received().inc();
    }

    /** A request ended with {@code outcome}, {@code nanos} after it arrived. */
    public void onRequestDone(String service, Outcome outcome, long nanos) {
        Objects.requireNonNull(outcome, "outcome");
        Series series = services.get(Objects.requireNonNull(service, "service"));
        series.done(outcome).inc();
        series.duration().observe(Math.max(0L, nanos) / NANOS_PER_SECOND);
    }

    /** {@code service} has {@code count} workers now. */
    public void onWorkers(String service, int count) {
        Series series = services.get(Objects.requireNonNull(service, "service"));
        if (services.isOther(series)) {
            addToOther(otherWorkers, service, count, series.workers());
        } else {
            series.workers().set(count);
        }
    }

    /** {@code service} has {@code count} requests waiting for a worker now. */
    public void onQueued(String service, int count) {
        Series series = services.get(Objects.requireNonNull(service, "service"));
        if (services.isOther(series)) {
            addToOther(otherQueued, service, count, series.queued());
        } else {
            series.queued().set(count);
        }
    }

    /** A malformed message was dropped or refused; {@code reason} is a short label like {@code too_large}. */
    public void onMalformed(String reason) {
        malformedByReason.get(Objects.requireNonNull(reason, "reason")).inc();
    }

    /** A peer ({@code worker} or {@code client}) went silent past the liveness window and was dropped. */
    public void onHeartbeatExpired(String role) {
        expiriesByRole.get(Objects.requireNonNull(role, "role")).inc();
    }

    /** The broker knows {@code count} peers now. */
    public void onConnections(int count) {
        connections.set(count);
    }

    /** A new peer was refused with DISCONNECT: the broker tracked {@code limits.maxConnections} peers. */
    public void onConnectionRefused() {
        connectionsRefused.inc();
    }

    /** A Courier client or worker opened a session (HELLO); a reconnect opens a new one. */
    public void onSession() {
        sessions.inc();
    }

    /** A configuration reload was tried; {@code applied} false: the new file was invalid and ignored. Any thread. */
    public void onConfigReload(boolean applied) {
        configReloads.labelValues(applied ? "applied" : "invalid").inc();
        configValid.set(applied ? 1 : 0);
    }

    /**
     * A connection was refused by authentication; {@code reason} is one of a few fixed labels ({@code unknown_key},
     * {@code ip_denied}, {@code ip_not_allowed}, {@code mechanism}). Any thread: the ZAP handler's
     * ({@code courier-zap}) calls it.
     */
    public void onAuthFailure(String reason) {
        authFailures.labelValues(Objects.requireNonNull(reason, "reason")).inc();
    }

    /** Access control refused an operation ({@code call}, {@code serve}, ... {@code admin}). Loop thread. */
    public void onAccessDenied(String operation) {
        accessDenied.labelValues(Objects.requireNonNull(operation, "operation")).inc();
    }

    /** A send to a peer failed ({@code unroutable} or {@code full}). */
    public void onSendFailed(String reason) {
        sendFailuresByReason.get(Objects.requireNonNull(reason, "reason")).inc();
    }

    /**
     * Keeps an {@code _other} gauge equal to the sum over the services past the cap: remembers each one's last
     * value while it is non-zero, so the map holds only services the broker itself still tracks.
     */
    private static void addToOther(Map<String, Integer> last, String service, int count, GaugeDataPoint gauge) {
        Integer before = count == 0 ? last.remove(service) : last.put(service, count);
        gauge.inc(count - (before == null ? 0 : before));
    }

    private Counter counter(String name, String help, String... labelNames) {
        return Counter.builder().name(name).help(help).labelNames(labelNames).register(registry);
    }

    private Gauge gauge(String name, String help, String... labelNames) {
        return Gauge.builder().name(name).help(help).labelNames(labelNames).register(registry);
    }

    private static String[] outcomeLabels() {
        String[] labels = new String[OUTCOMES.length];
        for (Outcome outcome : OUTCOMES) {
            labels[outcome.ordinal()] = outcome.name().toLowerCase(Locale.ROOT);
        }
        return labels;
    }

    /**
     * The data points of one {@code service} label value, each created on first use so that a service only ever
     * seen in requests shows no worker gauges. Broker loop thread only.
     */
    private final class Series {
        private final String service;
        private final CounterDataPoint[] done = new CounterDataPoint[OUTCOMES.length];
        private CounterDataPoint received;
        private DistributionDataPoint duration;
        private GaugeDataPoint workerCount;
        private GaugeDataPoint queuedCount;

        Series(String service) {
            this.service = service;
        }

        CounterDataPoint received() {
            if (received == null) {
                received = requestsReceived.labelValues(service);
            }
            return received;
        }

        CounterDataPoint done(Outcome outcome) {
            int i = outcome.ordinal();
            if (done[i] == null) {
                done[i] = requests.labelValues(service, OUTCOME_LABELS[i]);
            }
            return done[i];
        }

        DistributionDataPoint duration() {
            if (duration == null) {
                duration = requestDuration.labelValues(service);
            }
            return duration;
        }

        GaugeDataPoint workers() {
            if (workerCount == null) {
                workerCount = workers.labelValues(service);
            }
            return workerCount;
        }

        GaugeDataPoint queued() {
            if (queuedCount == null) {
                queuedCount = queued.labelValues(service);
            }
            return queuedCount;
        }
    }
}
