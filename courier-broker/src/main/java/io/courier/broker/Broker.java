package io.courier.broker;

import io.courier.broker.config.BrokerConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The Courier broker as a library. {@link #start} binds every endpoint and returns a running broker.
 *
 * <p>Thread-safe: every method may be called from any thread. One event loop thread ({@code courier-broker})
 * owns the ZeroMQ sockets; the methods here only read snapshots or queue commands for it.
 */
public final class Broker implements AutoCloseable {
    private Broker() {
    }

    /**
     * Binds the endpoints of {@code config} and starts the event loop. Returns once every endpoint is bound.
     *
     * @throws io.courier.protocol.ConfigException when an endpoint cannot be bound (port in use, bad address):
     *                                             the message names the endpoint and the cause in one line
     */
    public static Broker start(BrokerConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The settings this broker runs with. */
    public BrokerConfig config() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The bound frontend endpoint, concrete ({@code tcp://127.0.0.1:41234} when configured with {@code *}). */
    public String frontendEndpoint() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The bound publish (XSUB) endpoint, concrete. */
    public String publishEndpoint() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The bound subscribe (XPUB) endpoint, concrete. */
    public String subscribeEndpoint() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The HTTP endpoint as a URL ({@code http://127.0.0.1:9555}), or {@code "off"}. */
    public String httpEndpoint() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Counters, read without stopping the loop. */
    public BrokerStats stats() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The status document (services, workers, queued requests, connections) as JSON, built on the loop. */
    public CompletableFuture<String> status() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Waits until the broker has stopped (after {@link #close()}); true when it stopped in time. */
    public boolean awaitTermination(Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Stops: answers queued requests UNAVAILABLE, tells workers to disconnect, closes the sockets and the HTTP
     * endpoint, ends the loop thread. Bounded (about a second at most), idempotent, callable from any thread.
     */
    @Override
    public void close() {
        // not implemented yet
    }
}
