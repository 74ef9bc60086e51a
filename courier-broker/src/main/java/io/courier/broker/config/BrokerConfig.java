package io.courier.broker.config;

import io.courier.broker.security.SecurityConfig;
import io.courier.core.ConfigException;
import io.courier.core.Durations;
import io.courier.protocol.Endpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Broker settings, grouped by concern. Immutable; each record validates itself on construction and names the
 * key at fault. Loaded from YAML, environment and flags by {@link BrokerConfigLoader}; every key is documented in
 * docs/configuration.md.
 */
public record BrokerConfig(Bind endpoints, Path dataDir, Heartbeat heartbeat, Requests requests, Limits limits,
                           Shutdown shutdown, Logging log, Streams streams, SecurityConfig security,
                           StoreConfig store, QueuesConfig queues) {
    /** The longest duration any setting accepts; keeps deadline arithmetic in nanoseconds far from overflow. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9._-]+|\\[[0-9a-fA-F:.]+]):(\\d{1,5})");

    public BrokerConfig {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(dataDir, "dataDir");
        if (dataDir.toString().isBlank()) {
            throw new ConfigException("dataDir: must not be empty");
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(queues, "queues");
    }

    /** All settings but the store and queue ones, which take their defaults. */
    public BrokerConfig(Bind endpoints, Path dataDir, Heartbeat heartbeat, Requests requests, Limits limits,
                        Shutdown shutdown, Logging log, Streams streams, SecurityConfig security) {
        this(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, streams, security, StoreConfig.defaults(),
                QueuesConfig.builtIn());
    }

    /** All settings but the security ones, which take their defaults (CURVE off). */
    public BrokerConfig(Bind endpoints, Path dataDir, Heartbeat heartbeat, Requests requests, Limits limits,
                        Shutdown shutdown, Logging log, Streams streams) {
        this(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, streams, SecurityConfig.defaults());
    }

    /** The settings of the broker itself, with the default shutdown, logging and streams settings. */
    public BrokerConfig(Bind endpoints, Path dataDir, Heartbeat heartbeat, Requests requests, Limits limits) {
        this(endpoints, dataDir, heartbeat, requests, limits, Shutdown.defaults(), Logging.defaults());
    }

    /** All settings but the streams ones, which take their defaults. */
    public BrokerConfig(Bind endpoints, Path dataDir, Heartbeat heartbeat, Requests requests, Limits limits,
                        Shutdown shutdown, Logging log) {
        this(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, Streams.defaults());
    }

    /** The embedded defaults: loopback endpoints 5555-5557, http 9555, data in {@code dataDir}. */
    public static BrokerConfig defaults(Path dataDir) {
        return new BrokerConfig(Bind.defaults(), dataDir, Heartbeat.defaults(), Requests.defaults(),
                Limits.defaults(), Shutdown.defaults(), Logging.defaults(), Streams.defaults(),
                SecurityConfig.defaults(), StoreConfig.defaults(), QueuesConfig.builtIn());
    }

    /**
     * Defaults on ephemeral loopback ports with http off: what tests and the benchmark use.
     */
    public static BrokerConfig ephemeral(Path dataDir) {
        return defaults(dataDir).withEndpoints(new Bind("tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
                "tcp://127.0.0.1:*", "off"));
    }

    public BrokerConfig withEndpoints(Bind value) {
        return new BrokerConfig(value, dataDir, heartbeat, requests, limits, shutdown, log, streams, security,
                store, queues);
    }

    public BrokerConfig withFrontend(String value) {
        return withEndpoints(new Bind(value, endpoints.publish(), endpoints.subscribe(), endpoints.http()));
    }

    public BrokerConfig withDataDir(Path value) {
        return new BrokerConfig(endpoints, value, heartbeat, requests, limits, shutdown, log, streams, security,
                store, queues);
    }

    public BrokerConfig withHeartbeat(Heartbeat value) {
        return new BrokerConfig(endpoints, dataDir, value, requests, limits, shutdown, log, streams, security,
                store, queues);
    }

    public BrokerConfig withRequests(Requests value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, value, limits, shutdown, log, streams, security,
                store, queues);
    }

    public BrokerConfig withLimits(Limits value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, value, shutdown, log, streams, security,
                store, queues);
    }

    public BrokerConfig withShutdown(Shutdown value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, value, log, streams, security,
                store, queues);
    }

    public BrokerConfig withLogging(Logging value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, shutdown, value, streams, security,
                store, queues);
    }

    public BrokerConfig withStreams(Streams value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, value, security,
                store, queues);
    }

    public BrokerConfig withSecurity(SecurityConfig value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, streams, value, store,
                queues);
    }

    public BrokerConfig withStore(StoreConfig value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, streams, security,
                value, queues);
    }

    public BrokerConfig withQueues(QueuesConfig value) {
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, shutdown, log, streams, security,
                store, value);
    }

    /**
     * Where the broker binds. {@code http} is {@code host:port} or {@code off}.
     */
    public record Bind(String frontend, String publish, String subscribe, String http) {
        public Bind {
            Endpoints.check("endpoints.frontend", frontend);
            Endpoints.check("endpoints.publish", publish);
            Endpoints.check("endpoints.subscribe", subscribe);
            checkHttp(http);
        }

        public static Bind defaults() {
            return new Bind("tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556", "tcp://127.0.0.1:5557",
                    "127.0.0.1:9555");
        }

        private static void checkHttp(String http) {
            if (http == null || http.isBlank()) {
                throw new ConfigException("endpoints.http: must not be empty (give host:port, or 'off')");
            }
            if (http.equals("off")) {
                return;
            }
            Matcher m = HOST_PORT.matcher(http);
            if (!m.matches()) {
                throw new ConfigException("endpoints.http: expected host:port or 'off', got '" + http + "'");
            }
            if (Integer.parseInt(m.group(2)) > 65_535) {
                throw new ConfigException("endpoints.http: port out of range in '" + http + "'");
            }
        }
    }

    /**
     * Heartbeats with workers and clients: a peer silent for {@code interval * liveness} is dead.
     */
    public record Heartbeat(Duration interval, int liveness) {
        public Heartbeat {
            positive("heartbeat.interval", interval);
            if (liveness < 1) {
                throw new ConfigException("heartbeat.liveness: must be >= 1, got " + liveness);
            }
            if (interval.compareTo(MAX_DURATION.dividedBy(liveness)) > 0) {
                throw new ConfigException("heartbeat.liveness: interval * liveness must be at most "
                        + Durations.format(MAX_DURATION) + ", got " + Durations.format(interval) + " * " + liveness);
            }
        }

        public static Heartbeat defaults() {
            return new Heartbeat(Duration.ofSeconds(1), 3);
        }

        public Duration expiry() {
            return interval.multipliedBy(liveness);
        }
    }

    /**
     * Request handling: the deadline for requests that give none, how long a request for a service with no
     * worker waits before UNKNOWN_SERVICE, and how many requests may wait per service before QUEUE_FULL.
     */
    public record Requests(Duration defaultTimeout, Duration unknownServiceWait, int maxQueuedPerService) {
        public Requests {
            positive("requests.defaultTimeout", defaultTimeout);
            if (unknownServiceWait == null) {
                throw new ConfigException("requests.unknownServiceWait: must be given");
            }
            if (unknownServiceWait.isNegative()) {
                throw new ConfigException("requests.unknownServiceWait: must be >= 0, got "
                        + Durations.format(unknownServiceWait));
            }
            atMostMax("requests.unknownServiceWait", unknownServiceWait);
            if (maxQueuedPerService < 1) {
                throw new ConfigException("requests.maxQueuedPerService: must be >= 1, got " + maxQueuedPerService);
            }
        }

        public static Requests defaults() {
            return new Requests(Duration.ofSeconds(30), Duration.ofSeconds(2), 10_000);
        }
    }

    /**
     * Limits against bad or hostile input: the largest message (all frames together), the most frames, the most
     * peers tracked on the frontend (a new one past it is refused with DISCONNECT), and how long a connection gets
     * to finish the ZMTP (and CURVE) handshake before JeroMQ closes it.
     */
    public record Limits(int maxMessageBytes, int maxFrames, int maxConnections, Duration handshakeTimeout) {
        /** The shortest {@code handshakeTimeout}: a CURVE handshake over a slow link needs a few round trips. */
        public static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofMillis(100);
        /** The longest {@code handshakeTimeout}. */
        public static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofHours(1);

        public Limits {
            if (maxMessageBytes < 1024) {
                throw new ConfigException("limits.maxMessageBytes: must be >= 1024, got " + maxMessageBytes);
            }
            if (maxFrames < 8) {
                throw new ConfigException("limits.maxFrames: must be >= 8, got " + maxFrames);
            }
            if (maxConnections < 1) {
                throw new ConfigException("limits.maxConnections: must be >= 1, got " + maxConnections);
            }
            if (handshakeTimeout == null) {
                throw new ConfigException("limits.handshakeTimeout: must be given");
            }
            if (handshakeTimeout.compareTo(MIN_HANDSHAKE_TIMEOUT) < 0
                    || handshakeTimeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
                throw new ConfigException("limits.handshakeTimeout: must be " + Durations.format(MIN_HANDSHAKE_TIMEOUT)
                        + " to " + Durations.format(MAX_HANDSHAKE_TIMEOUT) + ", got "
                        + Durations.format(handshakeTimeout));
            }
        }

        /** The message limits given, with the default connection limit (10000) and handshake timeout (5s). */
        public Limits(int maxMessageBytes, int maxFrames) {
            this(maxMessageBytes, maxFrames, 10_000, Duration.ofSeconds(5));
        }

        /** 16 MiB, 64 frames, 10000 connections, 5s to finish the handshake. */
        public static Limits defaults() {
            return new Limits(16 * 1024 * 1024, 64);
        }

        public Limits withMaxConnections(int value) {
            return new Limits(maxMessageBytes, maxFrames, value, handshakeTimeout);
        }

        public Limits withHandshakeTimeout(Duration value) {
            return new Limits(maxMessageBytes, maxFrames, maxConnections, value);
        }
    }

    /**
     * Stopping on SIGTERM or Ctrl-C: how long queued and in-flight requests get to finish before the broker closes
     * and answers what is left UNAVAILABLE. Zero closes at once. Read by the CLI when it stops the broker.
     */
    public record Shutdown(Duration drainTimeout) {
        public Shutdown {
            if (drainTimeout == null) {
                throw new ConfigException("shutdown.drainTimeout: must be given");
            }
            if (drainTimeout.isNegative()) {
                throw new ConfigException("shutdown.drainTimeout: must be >= 0, got " + Durations.format(drainTimeout));
            }
            atMostMax("shutdown.drainTimeout", drainTimeout);
        }

        public static Shutdown defaults() {
            return new Shutdown(Duration.ofSeconds(10));
        }
    }

    /**
     * Logging of the {@code courier} command: the level of Courier's loggers ({@code TRACE}, {@code DEBUG},
     * {@code INFO}, {@code WARN}, {@code ERROR}; any case, kept upper case) and the line format ({@code text} or
     * {@code json}; kept lower case). The broker library ignores them (it only uses the SLF4J API); the CLI applies
     * them at start and on reload.
     */
    public record Logging(String level, String format) {
        /** The accepted levels, most verbose first. */
        public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
        /** The accepted formats. */
        public static final List<String> FORMATS = List.of("text", "json");

        public Logging {
            level = oneOf("log.level", level, LEVELS, level == null ? null : level.strip().toUpperCase(Locale.ROOT));
            format = oneOf("log.format", format, FORMATS,
                    format == null ? null : format.strip().toLowerCase(Locale.ROOT));
        }

        public static Logging defaults() {
            return new Logging("INFO", "text");
        }

        private static String oneOf(String key, String given, List<String> accepted, String normalized) {
            if (given == null) {
                throw new ConfigException(key + ": must be given");
            }
            if (!accepted.contains(normalized)) {
                throw new ConfigException(key + ": must be one of " + String.join(", ", accepted) + ", got '"
                        + given + "'");
            }
            return normalized;
        }
    }

    /**
     * Streams: how much each stream's retained log keeps (messages, bytes, age), and the most streams. A stream
     * whose name matches the pattern of a rule in {@code retention} keeps what the first such rule says instead;
     * rules are tried in order.
     */
    public record Streams(int maxMessages, long maxBytes, Duration maxAge, int maxStreams,
                          List<RetentionRule> retention) {
        /** The largest {@code maxMessages}: a retained log holds at most 2^30 messages. */
        public static final int MAX_MESSAGES = 1 << 30;
        /** The largest {@code maxBytes}, 1024GiB: far more than a retained log in memory can use. */
        public static final long MAX_BYTES = 1L << 40;

        public Streams {
            checkRetention("streams.", maxMessages, maxBytes, maxAge);
            if (maxStreams < 1) {
                throw new ConfigException("streams.maxStreams: must be >= 1, got " + maxStreams);
            }
            if (retention == null) {
                throw new ConfigException("streams.retention: must be given (an empty list for no rules)");
            }
            retention = List.copyOf(retention);
            for (int later = 1; later < retention.size(); later++) {
                for (int earlier = 0; earlier < later; earlier++) {
                    retention.get(earlier).checkNotHiding(retention.get(later));
                }
            }
        }

        /** 100,000 messages, 64 MiB and one hour per stream; 10,000 streams; no rules. */
        public static Streams defaults() {
            return new Streams(100_000, 64L * 1024 * 1024, Duration.ofHours(1), 10_000, List.of());
        }

        public Streams withRetention(List<RetentionRule> value) {
            return new Streams(maxMessages, maxBytes, maxAge, maxStreams, value);
        }
    }

    /**
     * The retention of the streams whose name matches {@code pattern}: an exact stream name, or a prefix followed
     * by one {@code *} ({@code prices.*} matches {@code prices.eur} and {@code prices.eur.spot}; {@code *} alone
     * matches every stream). Its keys are {@code streams.retention.<pattern>.maxMessages|maxBytes|maxAge|durable};
     * a durable stream keeps its retained log in the store too, and has it back after a restart.
     */
    public record RetentionRule(String pattern, int maxMessages, long maxBytes, Duration maxAge, boolean durable) {
        public RetentionRule {
            if (pattern == null || pattern.isEmpty()) {
                throw new ConfigException("streams.retention: a rule needs a stream-name pattern, got "
                        + (pattern == null ? "none" : "an empty one"));
            }
            int star = pattern.indexOf('*');
            if (star >= 0 && star != pattern.length() - 1) {
                throw new ConfigException("streams.retention." + pattern + ": invalid pattern '" + pattern
                        + "' ('*' may only end it: give a stream name, or a prefix and '*', as in 'prices.*')");
            }
            checkRetention("streams.retention." + pattern + ".", maxMessages, maxBytes, maxAge);
        }

        /** A rule for streams kept in memory only. */
        public RetentionRule(String pattern, int maxMessages, long maxBytes, Duration maxAge) {
            this(pattern, maxMessages, maxBytes, maxAge, false);
        }

        /** Rejects {@code later} when this rule, tried first, matches every stream it would match. */
        private void checkNotHiding(RetentionRule later) {
            boolean hides = pattern.endsWith("*")
                    ? stem(later.pattern).startsWith(stem(pattern)) : pattern.equals(later.pattern);
            if (hides) {
                throw new ConfigException("streams.retention." + later.pattern + ": never applies, the rule '"
                        + pattern + "' before it matches every stream it matches (put the narrower rule first)");
            }
        }

        private static String stem(String pattern) {
            return pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        }
    }

    private static void checkRetention(String prefix, int maxMessages, long maxBytes, Duration maxAge) {
        if (maxMessages < 1 || maxMessages > Streams.MAX_MESSAGES) {
            throw new ConfigException(prefix + "maxMessages: must be 1 to " + Streams.MAX_MESSAGES + ", got "
                    + maxMessages);
        }
        if (maxBytes < 1 || maxBytes > Streams.MAX_BYTES) {
            throw new ConfigException(prefix + "maxBytes: must be 1 to " + Streams.MAX_BYTES + " (1024GiB), got "
                    + maxBytes);
        }
        positive(prefix + "maxAge", maxAge);
    }

    private static void positive(String key, Duration value) {
        if (value == null) {
            throw new ConfigException(key + ": must be given");
        }
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(key + ": must be a positive duration, got " + Durations.format(value));
        }
        atMostMax(key, value);
    }

    private static void atMostMax(String key, Duration value) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException(key + ": must be at most " + Durations.format(MAX_DURATION) + ", got "
                    + Durations.format(value));
        }
    }
}
