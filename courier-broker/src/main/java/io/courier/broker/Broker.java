package io.courier.broker;

import io.courier.broker.config.BrokerConfig;

/** Placeholder until the broker core lands. */
public final class Broker implements AutoCloseable {
    private Broker() {
    }

    public static Broker start(BrokerConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
        // nothing yet
    }
}
