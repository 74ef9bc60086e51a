package io.courier.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a stream, as a subscriber receives it: the stream's {@code topic}, its sequence number
 * {@code seq} (1, 2, 3, ... per stream, assigned by the broker), the broker's arrival time, the headers and one or
 * more body frames. A Courier publisher sends one frame; a plain ZeroMQ publisher may send several.
 *
 * <p>Immutable by contract and thread-safe to share: the frame arrays are not copied, so do not change them.
 * Building one with no frames throws {@code IllegalArgumentException}.
 */
public record StreamEvent(String topic, long seq, long timestampMillis, Map<String, String> headers,
                          List<byte[]> frames) {
    public StreamEvent {
        Objects.requireNonNull(topic, "topic");
        headers = Map.copyOf(headers);
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("an event has at least one frame");
        }
    }

    /** The body: the only frame, or all frames joined when there are several. */
    public byte[] body() {
        if (frames.size() == 1) {
            return frames.get(0);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        frames.forEach(joined::writeBytes);
        return joined.toByteArray();
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    public String header(String key) {
        return headers.get(key);
    }

    @Override
    public String toString() {
        return "StreamEvent[topic=" + topic + ", seq=" + seq + ", timestampMillis=" + timestampMillis
                + ", headers=" + headers + ", frames=" + frames.size() + "]";
    }
}
