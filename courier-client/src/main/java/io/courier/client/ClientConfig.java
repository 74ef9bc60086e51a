package io.courier.client;

import io.courier.core.ConfigException;
import io.courier.protocol.Endpoints;
import io.courier.core.certificate.CurveKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Settings of a client or worker connection. Immutable; validated on construction.
 *
 * @param endpoints          broker frontends, tried in order; the connection fails over to the next one
 *                           when the current one stops answering
 * @param name               a name the broker shows in its status and logs
 * @param heartbeatInterval  how often each side says it is alive when otherwise quiet
 * @param heartbeatLiveness  how many intervals of silence mean the peer is dead
 * @param reconnectMin       first reconnect delay; it doubles (with jitter) up to {@code reconnectMax}
 * @param reconnectMax       longest reconnect delay
 * @param defaults           timeout and retries for requests that do not give their own
 * @param maxInFlight        requests, publishes and enqueues awaiting an answer at once; a request beyond it fails
 *                           fast with BACKPRESSURE, a publish or enqueue waits for room (at most its timeout)
 * @param maxMessageBytes    largest body sent; larger fails fast with TOO_LARGE
 * @param callbackExecutor   runs completion callbacks and worker handlers; null means Courier's own daemon pool
 * @param curve              CURVE security for the connection (RFC 26), or null for none (plain ZMTP)
 */
public record ClientConfig(List<String> endpoints, String name, Duration heartbeatInterval, int heartbeatLiveness,
                           Duration reconnectMin, Duration reconnectMax, RequestOptions defaults, int maxInFlight,
                           int maxMessageBytes, Executor callbackExecutor, Curve curve) {

    public ClientConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new ConfigException("endpoints: give at least one broker endpoint, like tcp://127.0.0.1:5555");
        }
        endpoints.forEach(e -> Endpoints.check("endpoints", e));
        name = name == null ? "" : name;
        positive("heartbeatInterval", heartbeatInterval);
        positive("reconnectMin", reconnectMin);
        positive("reconnectMax", reconnectMax);
        if (heartbeatLiveness < 1) {
            throw new ConfigException("heartbeatLiveness: must be >= 1, got " + heartbeatLiveness);
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new ConfigException("reconnectMax: must be >= reconnectMin (" + reconnectMin + "), got "
                    + reconnectMax);
        }
        if (defaults == null) {
            throw new ConfigException("defaults: must not be null");
        }
        if (maxInFlight < 1) {
            throw new ConfigException("maxInFlight: must be >= 1, got " + maxInFlight);
        }
        if (maxMessageBytes < 1) {
            throw new ConfigException("maxMessageBytes: must be >= 1, got " + maxMessageBytes);
        }
    }

    /** Settings without CURVE security. */
    public ClientConfig(List<String> endpoints, String name, Duration heartbeatInterval, int heartbeatLiveness,
                        Duration reconnectMin, Duration reconnectMax, RequestOptions defaults, int maxInFlight,
                        int maxMessageBytes, Executor callbackExecutor) {
        this(endpoints, name, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax, defaults, maxInFlight,
                maxMessageBytes, callbackExecutor, null);
    }

    /**
     * CURVE settings of a client: the broker's public key, which the client checks the broker against, and the
     * client's own certificate (with its secret key), whose public key the broker checks against its allowlist.
     *
     * @param serverPublicKey the broker's public key, 40 Z85 characters
     * @param certificate     this client's certificate, loaded from its {@code NAME.key_secret} file
     */
    public record Curve(String serverPublicKey, CurveCertificate certificate) {
        public Curve {
            String problem = CurveKeys.problem(serverPublicKey);
            if (problem != null) {
                throw new ConfigException("curve.serverPublicKey: " + problem);
            }
            if (certificate == null) {
                throw new ConfigException("curve.certificate: must be given (the client's NAME.key_secret)");
            }
            if (certificate.secretKey().isEmpty()) {
                throw new ConfigException("curve.certificate: '" + certificate.name() + "' has no secret key: "
                        + "give the client's NAME.key_secret file, not its public NAME.key");
            }
        }

        /** The broker's public key from its public certificate, and the client's certificate. */
        public static Curve of(CurveCertificate server, CurveCertificate client) {
            return new Curve(server.publicKey(), client);
        }

        /** The public key and the certificate name, never the secret key. */
        @Override
        public String toString() {
            return "Curve[serverPublicKey=" + serverPublicKey + ", certificate=" + certificate.name() + "]";
        }
    }

    /** Defaults for the given broker endpoints: 1s heartbeat, liveness 3, 5s requests without retry. */
    public static ClientConfig of(String... endpoints) {
        return new ClientConfig(List.of(endpoints), "", Duration.ofSeconds(1), 3, Duration.ofMillis(100),
                Duration.ofSeconds(5), RequestOptions.of(Duration.ofSeconds(5), 0), 100_000, 16 * 1024 * 1024,
                null);
    }

    public ClientConfig withName(String value) {
        return new ClientConfig(endpoints, value, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax,
                defaults, maxInFlight, maxMessageBytes, callbackExecutor, curve);
    }

    public ClientConfig withHeartbeat(Duration interval, int liveness) {
        return new ClientConfig(endpoints, name, interval, liveness, reconnectMin, reconnectMax, defaults,
                maxInFlight, maxMessageBytes, callbackExecutor, curve);
    }

    public ClientConfig withReconnect(Duration min, Duration max) {
        return new ClientConfig(endpoints, name, heartbeatInterval, heartbeatLiveness, min, max, defaults,
                maxInFlight, maxMessageBytes, callbackExecutor, curve);
    }

    public ClientConfig withDefaults(RequestOptions value) {
        return new ClientConfig(endpoints, name, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax,
                value, maxInFlight, maxMessageBytes, callbackExecutor, curve);
    }

    public ClientConfig withMaxInFlight(int value) {
        return new ClientConfig(endpoints, name, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax,
                defaults, value, maxMessageBytes, callbackExecutor, curve);
    }

    public ClientConfig withMaxMessageBytes(int value) {
        return new ClientConfig(endpoints, name, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax,
                defaults, maxInFlight, value, callbackExecutor, curve);
    }

    public ClientConfig withCallbackExecutor(Executor value) {
        return new ClientConfig(endpoints, name, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax,
                defaults, maxInFlight, maxMessageBytes, value, curve);
    }

    /**
     * With CURVE security (RFC 26) on every socket the connection opens: the broker is checked against
     * {@code serverPublicKey}, and the broker checks this client's public key against its allowlist. A broker that
     * refuses the client fails its requests with {@code REFUSED} soon after the handshake, not with a timeout.
     */
    public ClientConfig withCurve(String serverPublicKey, CurveCertificate clientCertificate) {
        return withCurve(new Curve(serverPublicKey, clientCertificate));
    }

    /** With these CURVE settings, or none ({@code null}: plain ZMTP). */
    public ClientConfig withCurve(Curve value) {
        return new ClientConfig(endpoints, name, heartbeatInterval, heartbeatLiveness, reconnectMin, reconnectMax,
                defaults, maxInFlight, maxMessageBytes, callbackExecutor, value);
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key + ": must be a positive duration, got " + value);
        }
    }
}
