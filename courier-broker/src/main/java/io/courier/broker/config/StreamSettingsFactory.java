package io.courier.broker.config;

import io.courier.broker.stream.Retention;
import io.courier.broker.stream.PatternRetention;
import io.courier.broker.stream.StreamSettings;
import java.util.List;

/**
 * Turns the broker's {@code streams.*} settings into those of the streams core. Here rather than in the stream
 * package so that {@code stream} knows nothing of the configuration (the layering in docs/architecture.md).
 * Stateless.
 */
public final class StreamSettingsFactory {
    private StreamSettingsFactory() {
    }

    /** The broker's {@code streams.*} settings, with the default catch-up batch. */
    public static StreamSettings from(BrokerConfig.Streams streams) {
        List<PatternRetention> rules = streams.retention().stream()
                .map(r -> new PatternRetention(r.pattern(), new Retention(r.maxMessages(), r.maxBytes(), r.maxAge(),
                        r.durable())))
                .toList();
        return new StreamSettings(streams.maxMessages(), streams.maxBytes(), streams.maxAge(), streams.maxStreams(),
                StreamSettings.DEFAULT_CATCH_UP_BATCH, rules);
    }
}
