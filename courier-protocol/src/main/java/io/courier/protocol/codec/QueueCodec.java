package io.courier.protocol.codec;

import static io.courier.protocol.codec.NativeCodec.expect;
import static io.courier.protocol.codec.NativeCodec.u32;
import static io.courier.protocol.codec.NativeCodec.u64;
import static io.courier.protocol.codec.NativeCodec.utf8;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.Utf8;
import io.courier.protocol.codec.NativeMessage.Ack;
import io.courier.protocol.codec.NativeMessage.Cancel;
import io.courier.protocol.codec.NativeMessage.Cancelled;
import io.courier.protocol.codec.NativeMessage.Confirm;
import io.courier.protocol.codec.NativeMessage.Consume;
import io.courier.protocol.codec.NativeMessage.Consuming;
import io.courier.protocol.codec.NativeMessage.Deliver;
import io.courier.protocol.codec.NativeMessage.Enqueue;
import io.courier.protocol.codec.NativeMessage.Nack;
import io.courier.protocol.codec.NativeMessage.QueueAdmin;
import io.courier.protocol.codec.NativeMessage.QueueAdmin.Operation;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply;
import io.courier.protocol.codec.NativeMessage.QueueAdminReply.ListedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMsg;

/**
 * The durable-queue commands of the native protocol (ENQUEUE to QUEUE_ADMIN_REPLY, ids 0x40 to 0x4A, section 10
 * of docs/protocol.md): the frames after {@code CRR1} and the command byte. Used by {@link NativeCodec};
 * stateless and thread-safe.
 *
 * <p>Queue names are 1 to 255 bytes of UTF-8, producer message ids 0 to 255; tags and seqs start at 1 and fit in
 * 63 bits; durations, counts and prefetch are u32 within 0 to 2^31-1. A listed message's seq, delivery count
 * and enqueue time travel together in one 20-byte meta frame.
 */
final class QueueCodec {
    private static final int MAX_NAME_BYTES = 255;
    private static final int META_BYTES = 20;
    private static final Operation[] OPERATIONS = Operation.values();

    private QueueCodec() {
    }

    /** Adds the fields of a queue command to {@code msg}, which already holds {@code CRR1} and the command. */
    static void encode(ZMsg msg, NativeMessage message) {
        switch (message.command()) {
            case ENQUEUE -> {
                Enqueue m = (Enqueue) message;
                msg.add(u64(m.correlationId()));
                msg.add(queue(m.queue()));
                msg.add(messageId(m.messageId()));
                msg.add(u32(nonNegative(m.ttlMillis(), "ttlMillis")));
                msg.add(m.headers().encode());
                msg.add(m.body());
            }
            case CONFIRM -> {
                Confirm m = (Confirm) message;
                msg.add(u64(m.correlationId()));
                msg.add(queue(m.queue()));
                msg.add(u64(positive(m.seq(), "seq")));
                msg.add(new byte[] {(byte) (m.duplicate() ? 1 : 0)});
            }
            case CONSUME -> {
                Consume m = (Consume) message;
                msg.add(u64(m.consumerId()));
                msg.add(queue(m.queue()));
                msg.add(u32(positive(m.prefetch(), "prefetch")));
            }
            case CONSUMING -> {
                Consuming m = (Consuming) message;
                msg.add(u64(m.consumerId()));
                msg.add(queue(m.queue()));
            }
            case DELIVER -> addDeliver(msg, (Deliver) message);
            case ACK -> {
                Ack m = (Ack) message;
                msg.add(u64(m.consumerId()));
                msg.add(tags(m.tags()));
            }
            case NACK -> {
                Nack m = (Nack) message;
                msg.add(u64(m.consumerId()));
                msg.add(u64(positive(m.tag(), "tag")));
                msg.add(new byte[] {(byte) (m.requeue() ? 1 : 0)});
                msg.add(u32(nonNegative(m.delayMillis(), "delayMillis")));
            }
            case CANCEL -> msg.add(u64(((Cancel) message).consumerId()));
            case CANCELLED -> {
                Cancelled m = (Cancelled) message;
                msg.add(u64(m.consumerId()));
                msg.add(utf8(m.reason()));
            }
            case QUEUE_ADMIN -> {
                QueueAdmin m = (QueueAdmin) message;
                msg.add(u64(m.correlationId()));
                msg.add(new byte[] {m.operation().code()});
                msg.add(queue(m.queue()));
                msg.add(u32(nonNegative(m.count(), "count")));
            }
            case QUEUE_ADMIN_REPLY -> addAdminReply(msg, (QueueAdminReply) message);
            default -> throw new IllegalStateException("not a queue command: " + message.command());
        }
    }

    /** Decodes the frames of a queue command whose {@code CRR1} and command frames are already checked. */
    static NativeMessage decode(byte[][] f, Command command) {
        return switch (command) {
            case ENQUEUE -> new Enqueue(u64(expect(f, command, 8)[2], "correlation id"), queue(f[3]),
                    messageId(f[4]), nonNegative(f[5], "ttl"), Headers.decode(f[6]), f[7]);
            case CONFIRM -> new Confirm(u64(expect(f, command, 6)[2], "correlation id"), queue(f[3]),
                    positive(f[4], "seq"), flag(f[5], "outcome"));
            case CONSUME -> new Consume(u64(expect(f, command, 5)[2], "consumer id"), queue(f[3]),
                    prefetch(f[4]));
            case CONSUMING -> new Consuming(u64(expect(f, command, 4)[2], "consumer id"), queue(f[3]));
            case DELIVER -> deliver(expect(f, command, 8));
            case ACK -> new Ack(u64(expect(f, command, 4)[2], "consumer id"), tags(f[3]));
            case NACK -> new Nack(u64(expect(f, command, 6)[2], "consumer id"), positive(f[3], "tag"),
                    flag(f[4], "requeue"), nonNegative(f[5], "delay"));
            case CANCEL -> new Cancel(u64(expect(f, command, 3)[2], "consumer id"));
            case CANCELLED -> new Cancelled(u64(expect(f, command, 4)[2], "consumer id"), utf8(f[3]));
            case QUEUE_ADMIN -> new QueueAdmin(u64(expect(f, command, 6)[2], "correlation id"), operation(f[3]),
                    queue(f[4]), nonNegative(f[5], "count"));
            case QUEUE_ADMIN_REPLY -> adminReply(f);
            default -> throw new IllegalStateException("not a queue command: " + command);
        };
    }

    private static void addDeliver(ZMsg msg, Deliver m) {
        msg.add(u64(m.consumerId()));
        msg.add(queue(m.queue()));
        msg.add(u64(positive(m.tag(), "tag")));
        msg.add(meta(m.seq(), m.deliveries(), m.enqueuedAtMillis()));
        msg.add(m.headers().encode());
        msg.add(m.body());
    }

    private static void addAdminReply(ZMsg msg, QueueAdminReply m) {
        msg.add(u64(m.correlationId()));
        msg.add(u32(nonNegative(m.affected(), "affected")));
        for (ListedMessage listed : m.messages()) {
            msg.add(meta(listed.seq(), listed.deliveries(), listed.enqueuedAtMillis()));
            msg.add(listed.headers().encode());
            msg.add(listed.body());
        }
    }

    private static Deliver deliver(byte[][] f) {
        long consumerId = u64(f[2], "consumer id");
        String queue = queue(f[3]);
        long tag = positive(f[4], "tag");
        ByteBuffer meta = meta(f[5]);
        return new Deliver(consumerId, queue, tag, meta.getLong(), meta.getInt(), meta.getLong(),
                Headers.decode(f[6]), f[7]);
    }

    private static QueueAdminReply adminReply(byte[][] f) {
        if (f.length < 4 || (f.length - 4) % 3 != 0) {
            throw new ProtocolException("QUEUE_ADMIN_REPLY needs 4 + 3 per message frames, got " + f.length);
        }
        long correlationId = u64(f[2], "correlation id");
        int affected = nonNegative(f[3], "affected");
        List<ListedMessage> messages = new ArrayList<>((f.length - 4) / 3);
        for (int i = 4; i < f.length; i += 3) {
            ByteBuffer meta = meta(f[i]);
            messages.add(new ListedMessage(meta.getLong(), meta.getInt(), meta.getLong(), Headers.decode(f[i + 1]),
                    f[i + 2]));
        }
        return new QueueAdminReply(correlationId, affected, messages);
    }

    private static byte[] meta(long seq, int deliveries, long enqueuedAtMillis) {
        return ByteBuffer.allocate(META_BYTES).putLong(positive(seq, "seq"))
                .putInt(nonNegative(deliveries, "deliveries")).putLong(nonNegative(enqueuedAtMillis,
                        "enqueuedAtMillis")).array();
    }

    /** The meta frame checked (seq >= 1, deliveries and enqueue time >= 0), positioned at its start. */
    private static ByteBuffer meta(byte[] frame) {
        if (frame.length != META_BYTES) {
            throw new ProtocolException("message meta must be " + META_BYTES + " bytes, got " + frame.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(frame);
        if (buf.getLong(0) < 1 || buf.getInt(8) < 0 || buf.getLong(12) < 0) {
            throw new ProtocolException("message meta out of range: seq " + Long.toUnsignedString(buf.getLong(0))
                    + ", deliveries " + Integer.toUnsignedString(buf.getInt(8)) + ", enqueued at "
                    + Long.toUnsignedString(buf.getLong(12)));
        }
        return buf;
    }

    private static byte[] tags(long[] tags) {
        if (tags.length == 0) {
            throw new IllegalArgumentException("an ACK needs at least one tag");
        }
        ByteBuffer buf = ByteBuffer.allocate(8 * tags.length);
        for (long tag : tags) {
            buf.putLong(positive(tag, "tag"));
        }
        return buf.array();
    }

    private static long[] tags(byte[] frame) {
        if (frame.length == 0 || frame.length % 8 != 0) {
            throw new ProtocolException("tags must be a non-empty multiple of 8 bytes, got " + frame.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(frame);
        long[] tags = new long[frame.length / 8];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = buf.getLong();
            if (tags[i] < 1) {
                throw new ProtocolException("tag out of range (1 to 2^63-1): " + Long.toUnsignedString(tags[i]));
            }
        }
        return tags;
    }

    private static Operation operation(byte[] frame) {
        if (frame.length != 1) {
            throw new ProtocolException("operation must be 1 byte, got " + frame.length);
        }
        int code = frame[0] & 0xFF;
        if (code >= OPERATIONS.length) {
            throw new ProtocolException("unknown operation 0x" + Integer.toHexString(code));
        }
        return OPERATIONS[code];
    }

    private static boolean flag(byte[] frame, String field) {
        if (frame.length != 1 || (frame[0] & 0xFF) > 1) {
            throw new ProtocolException(field + " must be one byte, 0 or 1");
        }
        return frame[0] == 1;
    }

    private static int prefetch(byte[] frame) {
        int value = u32(frame, "prefetch");
        if (value < 1) {
            throw new ProtocolException("prefetch must be 1 to 2^31-1, got " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static byte[] queue(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("queue name must be 1 to 255 bytes [queue=" + name + "]");
        }
        return bytes;
    }

    private static String queue(byte[] frame) {
        if (frame.length == 0 || frame.length > MAX_NAME_BYTES) {
            throw new ProtocolException("queue name must be 1 to 255 bytes, got " + frame.length);
        }
        return Utf8.decode(frame, "queue name");
    }

    private static byte[] messageId(String id) {
        byte[] bytes = utf8(id);
        if (bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("message id must be 0 to 255 bytes [messageId=" + id + "]");
        }
        return bytes;
    }

    private static String messageId(byte[] frame) {
        if (frame.length > MAX_NAME_BYTES) {
            throw new ProtocolException("message id must be 0 to 255 bytes, got " + frame.length);
        }
        return Utf8.decode(frame, "message id");
    }

    private static long positive(long value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1 [" + field + "=" + value + "]");
        }
        return value;
    }

    private static int positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1 [" + field + "=" + value + "]");
        }
        return value;
    }

    private static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 [" + field + "=" + value + "]");
        }
        return value;
    }

    private static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 [" + field + "=" + value + "]");
        }
        return value;
    }

    private static long positive(byte[] frame, String field) {
        long value = u64(frame, field);
        if (value < 1) {
            throw new ProtocolException(field + " out of range (1 to 2^63-1): " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static int nonNegative(byte[] frame, String field) {
        int value = u32(frame, field);
        if (value < 0) {
            throw new ProtocolException(field + " out of range (0 to 2^31-1): " + Integer.toUnsignedString(value));
        }
        return value;
    }
}
