package io.courier.broker.transport;

import io.courier.broker.stream.StreamCore;
import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a plain ZeroMQ PUB message into a stream message: {@code [topic, body...]} when it has several frames;
 * a single frame {@code "topic payload"} is filed under the bytes before its first space and kept whole as the
 * body. A message with an empty topic reaches plain subscribers only. Stateless.
 */
final class PlainMessages {
    private static final int MAX_TOPIC_BYTES = 255;

    private PlainMessages() {
    }

    static void sequence(byte[][] frames, StreamCore streams) {
        if (frames.length == 0) {
            return;
        }
        byte[] first = frames[0];
        String topic;
        byte[][] body;
        if (frames.length >= 2) {
            topic = topic(first, first.length);
            body = Arrays.copyOfRange(frames, 1, frames.length);
        } else {
            int end = 0;
            while (end < first.length && first[end] != ' ') {
                end++;
            }
            topic = topic(first, end);
            body = frames;
        }
        if (!topic.isEmpty()) {
            streams.publish(topic, Headers.EMPTY, body);
        }
    }

    /** The topic {@link #sequence} files a message under; empty when it has none (plain subscribers only). */
    static String topicOf(byte[][] frames) {
        if (frames.length == 0) {
            return "";
        }
        byte[] first = frames[0];
        int end = 0;
        while (frames.length == 1 && end < first.length && first[end] != ' ') {
            end++;
        }
        return topic(first, frames.length >= 2 ? first.length : end);
    }

    private static String topic(byte[] bytes, int length) {
        return new String(bytes, 0, Math.min(length, MAX_TOPIC_BYTES), StandardCharsets.UTF_8);
    }
}
