package io.courier.protocol.codec;

import io.courier.protocol.Command;
import io.courier.protocol.Wire;
import java.nio.charset.StandardCharsets;

/**
 * The batch commands of streams (PUBLISH_BATCH, PUBACK_BATCH, EVENT_BATCH; docs/protocol.md 9.14 to 9.17): their
 * limits, the HELLO and WELCOME property by which peers say they take them, and {@link EventWriter}, which packs
 * EVENT_BATCH frames straight from the broker's retained messages.
 */
public final class StreamBatches {
    /** The most entries a batch may hold; a decoder refuses more. */
    public static final int MAX_ENTRIES = 65_535;
    /**
     * HELLO and WELCOME property: {@code 1} when the sender takes the batch commands. A broker sends EVENT_BATCH
     * only to a client whose HELLO had it; a client sends PUBLISH_BATCH only to a broker whose WELCOME had it.
     */
    public static final String PROPERTY = "stream-batches";
    private static final byte[] CRR1 = Wire.CRR1.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_BATCH = {Command.EVENT_BATCH.id()};
    private static final int MAX_TOPIC_BYTES = 255;

    private StreamBatches() {
    }

    /** True when {@code value}, a HELLO or WELCOME property, says the peer takes batches. */
    public static boolean accepted(String value) {
        return "1".equals(value);
    }

    /**
     * Packs the entries of one EVENT_BATCH. Reusable: {@link #frames} hands out the message and starts afresh.
     * Not thread-safe.
     */
    public static final class EventWriter {
        private final PackedBuffer buffer;
        private int count;

        public EventWriter(int capacity) {
            buffer = new PackedBuffer(capacity);
        }

        /**
         * Adds one event. {@code topic} is 1 to 255 bytes of UTF-8, {@code headers} an encoded headers frame,
         * {@code body} one or more frames.
         */
        public void add(byte[] topic, long seq, long timestampMillis, byte[] headers, byte[][] body) {
            if (topic.length == 0 || topic.length > MAX_TOPIC_BYTES) {
                throw new IllegalArgumentException("topic must be 1 to 255 bytes, got " + topic.length);
            }
            if (seq < 1 || timestampMillis < 0) {
                throw new IllegalArgumentException("seq must be >= 1 and timestamp >= 0 [seq=" + seq
                        + ", timestampMillis=" + timestampMillis + "]");
            }
            if (body.length == 0 || body.length > 0xFFFF) {
                throw new IllegalArgumentException("an event needs 1 to 65535 body frames, got " + body.length);
            }
            if (count == MAX_ENTRIES) {
                throw new IllegalStateException("batch full: " + MAX_ENTRIES + " entries");
            }
            buffer.u8(topic.length);
            buffer.put(topic);
            buffer.u64(seq);
            buffer.u64(timestampMillis);
            buffer.sized(headers);
            buffer.u16(body.length);
            for (byte[] frame : body) {
                buffer.sized(frame);
            }
            count++;
        }

        public int count() {
            return count;
        }

        /** Bytes packed so far. */
        public int bytes() {
            return buffer.size();
        }

        /** The whole EVENT_BATCH for {@code subscriptionId}, from {@code CRR1} on; the writer is then empty. */
        public byte[][] frames(long subscriptionId) {
            if (count == 0) {
                throw new IllegalStateException("an EVENT_BATCH needs at least one entry");
            }
            byte[][] frames = {CRR1, EVENT_BATCH, NativeCodec.u64(subscriptionId), buffer.toByteArray()};
            clear();
            return frames;
        }

        public void clear() {
            buffer.clear();
            count = 0;
        }
    }
}
