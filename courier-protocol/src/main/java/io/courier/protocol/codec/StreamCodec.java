package io.courier.protocol.codec;

import static io.courier.protocol.codec.NativeCodec.expect;
import static io.courier.protocol.codec.NativeCodec.u64;
import static io.courier.protocol.codec.NativeCodec.utf8;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.SlowPolicy;
import io.courier.protocol.Utf8;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import io.courier.protocol.StreamStart;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.zeromq.ZMsg;

/**
 * The stream commands of the native protocol (PUBLISH to UNSUBSCRIBED, ids 0x30 to 0x38): the frames after
 * {@code CRR1} and the command byte. Used by {@link NativeCodec}; stateless and thread-safe.
 *
 * <p>Topics are 1 to 255 bytes of UTF-8, prefixes 0 to 255; sequence numbers start at 1 and, like timestamps and
 * start values, must fit in 63 bits; seq maps (resume, heads) are headers frames of topic to decimal seq.
 */
final class StreamCodec {
    private static final int MAX_TOPIC_BYTES = 255;
    private static final StreamStart[] STARTS = StreamStart.values();
    private static final SlowPolicy[] POLICIES = SlowPolicy.values();

    private StreamCodec() {
    }

    /** Adds the fields of a stream command to {@code msg}, which already holds {@code CRR1} and the command. */
    static void encode(ZMsg msg, NativeMessage message) {
        switch (message.command()) {
            case PUBLISH -> {
                Publish m = (Publish) message;
                msg.add(u64(m.correlationId()));
                msg.add(topic(m.topic()));
                msg.add(m.headers().encode());
                msg.add(m.body());
            }
            case PUBACK -> {
                PubAck m = (PubAck) message;
                msg.add(u64(m.correlationId()));
                msg.add(topic(m.topic()));
                msg.add(u64(seq(m.seq())));
            }
            case SUBSCRIBE -> addSubscribe(msg, (Subscribe) message);
            case SUBSCRIBED -> {
                Subscribed m = (Subscribed) message;
                msg.add(u64(m.subscriptionId()));
                msg.add(seqMap(m.heads()));
            }
            case UNSUBSCRIBE -> msg.add(u64(((Unsubscribe) message).subscriptionId()));
            case EVENT -> addEvent(msg, (Event) message);
            case LOSS -> {
                Loss m = (Loss) message;
                addRange(msg, m.subscriptionId(), m.topic(), m.fromSeq(), m.toSeq());
                msg.add(utf8(m.reason()));
            }
            case REPLAY -> {
                Replay m = (Replay) message;
                addRange(msg, m.subscriptionId(), m.topic(), m.fromSeq(), m.toSeq());
            }
            case UNSUBSCRIBED -> {
                Unsubscribed m = (Unsubscribed) message;
                msg.add(u64(m.subscriptionId()));
                msg.add(utf8(m.reason()));
            }
            default -> throw new IllegalStateException("not a stream command: " + message.command());
        }
    }

    /** Decodes the frames of a stream command whose {@code CRR1} and command frames are already checked. */
    static NativeMessage decode(byte[][] f, Command command) {
        return switch (command) {
            case PUBLISH -> new Publish(u64(expect(f, command, 6)[2], "correlation id"), topic(f[3]),
                    Headers.decode(f[4]), f[5]);
            case PUBACK -> new PubAck(u64(expect(f, command, 5)[2], "correlation id"), topic(f[3]),
                    seq(f[4], "seq"));
            case SUBSCRIBE -> subscribe(expect(f, command, 8));
            case SUBSCRIBED -> new Subscribed(u64(expect(f, command, 4)[2], "subscription id"),
                    seqMap(f[3], "heads"));
            case UNSUBSCRIBE -> new Unsubscribe(u64(expect(f, command, 3)[2], "subscription id"));
            case EVENT -> event(f);
            case LOSS -> {
                long[] range = range(expect(f, command, 7));
                yield new Loss(range[0], topic(f[3]), range[1], range[2], utf8(f[6]));
            }
            case REPLAY -> {
                long[] range = range(expect(f, command, 6));
                yield new Replay(range[0], topic(f[3]), range[1], range[2]);
            }
            case UNSUBSCRIBED -> new Unsubscribed(u64(expect(f, command, 4)[2], "subscription id"), utf8(f[3]));
            default -> throw new IllegalStateException("not a stream command: " + command);
        };
    }

    private static void addSubscribe(ZMsg msg, Subscribe m) {
        if (m.startValue() < 0 || !m.start().hasValue() && m.startValue() != 0) {
            throw new IllegalArgumentException("start value must be 0 for " + m.start()
                    + " and >= 0 for SEQ and TIME [startValue=" + m.startValue() + "]");
        }
        byte[] prefix = m.prefix().getBytes(StandardCharsets.UTF_8);
        if (prefix.length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("prefix must be 0 to 255 bytes [prefix=" + m.prefix() + "]");
        }
        msg.add(u64(m.subscriptionId()));
        msg.add(prefix);
        msg.add(new byte[] {m.start().code()});
        msg.add(u64(m.startValue()));
        msg.add(new byte[] {m.policy().code()});
        msg.add(seqMap(m.resume()));
    }

    private static void addEvent(ZMsg msg, Event m) {
        if (m.body().length == 0) {
            throw new IllegalArgumentException("an event needs at least one body frame");
        }
        if (m.timestampMillis() < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0 [timestampMillis=" + m.timestampMillis() + "]");
        }
        msg.add(u64(m.subscriptionId()));
        msg.add(topic(m.topic()));
        msg.add(u64(seq(m.seq())));
        msg.add(u64(m.timestampMillis()));
        msg.add(m.headers().encode());
        for (byte[] frame : m.body()) {
            msg.add(frame);
        }
    }

    private static void addRange(ZMsg msg, long subscriptionId, String topic, long from, long to) {
        if (seq(from) > seq(to)) {
            throw new IllegalArgumentException("range must have from <= to [from=" + from + ", to=" + to + "]");
        }
        msg.add(u64(subscriptionId));
        msg.add(topic(topic));
        msg.add(u64(from));
        msg.add(u64(to));
    }

    private static Subscribe subscribe(byte[][] f) {
        long id = u64(f[2], "subscription id");
        if (f[3].length > MAX_TOPIC_BYTES) {
            throw new ProtocolException("prefix must be 0 to 255 bytes, got " + f[3].length);
        }
        StreamStart start = STARTS[code(f[4], STARTS.length, "start")];
        long value = u64(f[5], "start value");
        if (value < 0 || !start.hasValue() && value != 0) {
            throw new ProtocolException("start value out of range for " + start + ": " + Long.toUnsignedString(value));
        }
        SlowPolicy policy = POLICIES[code(f[6], POLICIES.length, "policy")];
        return new Subscribe(id, Utf8.decode(f[3], "prefix"), start, value, policy, seqMap(f[7], "resume"));
    }

    private static Event event(byte[][] f) {
        if (f.length < 8) {
            throw new ProtocolException("EVENT needs at least 8 frames, got " + f.length);
        }
        long id = u64(f[2], "subscription id");
        String topic = topic(f[3]);
        long seq = seq(f[4], "seq");
        long timestamp = u64(f[5], "timestamp");
        if (timestamp < 0) {
            throw new ProtocolException("timestamp out of range: " + Long.toUnsignedString(timestamp));
        }
        return new Event(id, topic, seq, timestamp, Headers.decode(f[6]), Arrays.copyOfRange(f, 7, f.length));
    }

    /** Subscription id, from seq and to seq of a LOSS or REPLAY, checked: {@code 1 <= from <= to}. */
    private static long[] range(byte[][] f) {
        long id = u64(f[2], "subscription id");
        long from = seq(f[4], "from seq");
        long to = seq(f[5], "to seq");
        if (from > to) {
            throw new ProtocolException("range must have from <= to, got " + from + " > " + to);
        }
        return new long[] {id, from, to};
    }

    private static int code(byte[] frame, int known, String field) {
        if (frame.length != 1) {
            throw new ProtocolException(field + " must be 1 byte, got " + frame.length);
        }
        int code = frame[0] & 0xFF;
        if (code >= known) {
            throw new ProtocolException("unknown " + field + " 0x" + Integer.toHexString(code));
        }
        return code;
    }

    static byte[] topic(String topic) {
        byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic must be 1 to 255 bytes [topic=" + topic + "]");
        }
        return bytes;
    }

    private static String topic(byte[] frame) {
        if (frame.length == 0 || frame.length > MAX_TOPIC_BYTES) {
            throw new ProtocolException("topic must be 1 to 255 bytes, got " + frame.length);
        }
        return Utf8.decode(frame, "topic");
    }

    private static long seq(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("seq must be >= 1 [seq=" + Long.toUnsignedString(value) + "]");
        }
        return value;
    }

    private static long seq(byte[] frame, String field) {
        long value = u64(frame, field);
        if (value < 1) {
            throw new ProtocolException(field + " out of range (1 to 2^63-1): " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static byte[] seqMap(Map<String, Long> map) {
        Map<String, String> text = new LinkedHashMap<>();
        map.forEach((topic, seq) -> {
            topic(topic);
            if (seq < 0) {
                throw new IllegalArgumentException("seq must be >= 0 [topic=" + topic + ", seq=" + seq + "]");
            }
            text.put(topic, Long.toString(seq));
        });
        return Headers.of(text).encode();
    }

    private static Map<String, Long> seqMap(byte[] frame, String field) {
        Map<String, Long> map = new LinkedHashMap<>();
        Headers.decode(frame).asMap().forEach((topic, text) -> map.put(topic, decimal(text, field, topic)));
        return map;
    }

    private static long decimal(String text, String field, String topic) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException(field + " seq of '" + topic + "' is not a decimal number: " + text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ProtocolException(field + " seq of '" + topic + "' is out of range: " + text);
        }
    }
}
