package io.courier.broker.admin;

import io.courier.broker.metrics.BrokerMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The broker's HTTP endpoint: {@code /metrics} (Prometheus text), {@code /health}, {@code /ready} and
 * {@code /status} (JSON). Runs on its own daemon threads; never touches a ZeroMQ socket.
 */
public final class HttpEndpoint implements AutoCloseable {
    private HttpEndpoint() {
    }

    /**
     * Binds {@code hostPort} ({@code 127.0.0.1:9555}; port 0 picks a free one) and serves.
     *
     * @param alive  true while the broker loop runs ({@code /health} 200, else 503)
     * @param ready  true once every endpoint is bound ({@code /ready} 200, else 503)
     * @param status the status document as JSON ({@code /status})
     * @throws io.courier.protocol.ConfigException when the address cannot be bound, naming it and the cause
     */
    public static HttpEndpoint start(String hostPort, BrokerMetrics metrics, BooleanSupplier alive,
                                     BooleanSupplier ready, Supplier<CompletableFuture<String>> status) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The bound address as a URL, {@code http://127.0.0.1:9555}. */
    public String url() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Stops serving; bounded, idempotent. */
    @Override
    public void close() {
    }
}
