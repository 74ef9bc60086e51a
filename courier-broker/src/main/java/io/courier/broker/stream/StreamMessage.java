package io.courier.broker.stream;

import io.courier.protocol.Headers;

/**
 * One message of a stream as the broker retains and sends it: message {@code seq} of stream {@code topic},
 * stamped on arrival with {@code timestampMillis} (epoch millis). Immutable by contract: nobody changes the body
 * arrays once published, so one instance goes to every subscriber.
 */
public record StreamMessage(String topic, long seq, long timestampMillis, Headers headers, byte[][] body) {
}
