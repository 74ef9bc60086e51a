package io.courier.broker.queue;

import io.courier.protocol.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How a queued message is laid out in the store's opaque payload: a format byte, the producer message id, the
 * enqueue and expiry times, the delivery counts at the time of writing, the encoded headers and the body frames.
 * The store keeps the latest delivery count beside it; {@link #decode} takes the larger of the two. Stateless.
 */
final class StoredForm {
    static final byte FORMAT = 1;
    private static final int FIXED = 1 + 1 + 8 + 8 + 4 + 4 + 4 + 4;

    private StoredForm() {
    }

    static byte[] encode(MessageSnapshot m) {
        byte[] id = m.producerId() == null ? null : m.producerId().getBytes(StandardCharsets.UTF_8);
        byte[] headers = m.headers().encode();
        int size = FIXED + (id == null ? 0 : 2 + id.length) + headers.length;
        for (byte[] frame : m.body()) {
            size += 4 + frame.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.put(FORMAT);
        buf.put((byte) (id == null ? 0 : 1));
        if (id != null) {
            buf.putShort((short) id.length).put(id);
        }
        buf.putLong(m.enqueuedAtMillis()).putLong(m.expiresAtMillis());
        buf.putInt(m.deliveries()).putInt(m.priorDeliveries());
        buf.putInt(headers.length).put(headers);
        buf.putInt(m.body().length);
        for (byte[] frame : m.body()) {
            buf.putInt(frame.length).put(frame);
        }
        return buf.array();
    }

    /**
     * The message stored as {@code payload} under {@code seq}, with {@code storedDeliveries} (the store's latest
     * count) when that is higher than the count written with it.
     *
     * @throws IllegalArgumentException when the payload is not in this format
     */
    static RestoredMessage decode(long seq, byte[] payload, int storedDeliveries) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(payload);
            byte format = buf.get();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown payload format " + format);
            }
            String producerId = null;
            if (buf.get() != 0) {
                byte[] id = new byte[Short.toUnsignedInt(buf.getShort())];
                buf.get(id);
                producerId = new String(id, StandardCharsets.UTF_8);
            }
            long enqueuedAt = buf.getLong();
            long expiresAt = buf.getLong();
            int deliveries = buf.getInt();
            int prior = buf.getInt();
            byte[] headers = new byte[length(buf)];
            buf.get(headers);
            byte[][] body = new byte[length(buf)][];
            for (int i = 0; i < body.length; i++) {
                body[i] = new byte[length(buf)];
                buf.get(body[i]);
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " bytes after the body");
            }
            return new RestoredMessage(seq, producerId, Headers.decode(headers), body, enqueuedAt, expiresAt,
                    Math.max(deliveries, storedDeliveries), prior);
        } catch (RuntimeException e) {   // BufferUnderflowException included
            throw new IllegalArgumentException("message " + seq + " cannot be read: " + e, e);
        }
    }

    private static int length(ByteBuffer buf) {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new IllegalArgumentException("length " + n + " runs past the payload");
        }
        return n;
    }
}
