package io.courier.protocol.codec;

import static io.courier.protocol.codec.NativeCodec.expect;
import static io.courier.protocol.codec.NativeCodec.u64;

import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.EventBatch;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMsg;

/**
 * The batch commands of streams (PUBLISH_BATCH 0x39, PUBACK_BATCH 0x3A, EVENT_BATCH 0x3B): the frames after
 * {@code CRR1} and the command byte. Each packs its entries into one frame; decoding checks every length against
 * the end of that frame and refuses an empty batch, more than {@link StreamBatches#MAX_ENTRIES} entries, bytes
 * left over, and the field ranges of the single commands. Used by {@link NativeCodec}; stateless.
 */
final class StreamBatchCodec {
    private StreamBatchCodec() {
    }

    static void encode(ZMsg msg, NativeMessage message) {
        switch (message.command()) {
            case PUBLISH_BATCH -> {
                PublishBatch m = (PublishBatch) message;
                msg.add(u64(m.correlationId()));
                msg.add(packPublishes(m.entries()));
            }
            case PUBACK_BATCH -> {
                PubAckBatch m = (PubAckBatch) message;
                msg.add(u64(m.correlationId()));
                msg.add(packSeqs(m.seqs()));
            }
            case EVENT_BATCH -> {
                EventBatch m = (EventBatch) message;
                msg.add(u64(m.subscriptionId()));
                msg.add(packEvents(m.events()));
            }
            default -> throw new IllegalStateException("not a stream batch command: " + message.command());
        }
    }

    static NativeMessage decode(byte[][] f, Command command) {
        expect(f, command, 4);
        return switch (command) {
            case PUBLISH_BATCH -> new PublishBatch(u64(f[2], "correlation id"), publishes(f[3]));
            case PUBACK_BATCH -> new PubAckBatch(u64(f[2], "correlation id"), seqs(f[3]));
            case EVENT_BATCH -> {
                long id = u64(f[2], "subscription id");
                yield new EventBatch(id, events(id, f[3]));
            }
            default -> throw new IllegalStateException("not a stream batch command: " + command);
        };
    }

    /** The packed entries of a PUBLISH_BATCH: topic (u8 length), headers (u32 length), body (u32 length). */
    static byte[] packPublishes(List<PublishBatch.Entry> entries) {
        count(entries.size());
        int estimate = 0;
        for (PublishBatch.Entry e : entries) {
            estimate += e.body().length + 64;
        }
        PackedBuffer buffer = new PackedBuffer(estimate);
        for (PublishBatch.Entry e : entries) {
            byte[] topic = StreamCodec.topic(e.topic());
            buffer.u8(topic.length);
            buffer.put(topic);
            buffer.sized(e.headers().encode());
            buffer.sized(e.body());
        }
        return buffer.toByteArray();
    }

    private static byte[] packSeqs(long[] seqs) {
        count(seqs.length);
        PackedBuffer buffer = new PackedBuffer(seqs.length * 8);
        for (long seq : seqs) {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must be 0 (refused) or 1 to 2^63-1 [seq=" + seq + "]");
            }
            buffer.u64(seq);
        }
        return buffer.toByteArray();
    }

    private static byte[] packEvents(List<Event> events) {
        count(events.size());
        StreamBatches.EventWriter writer = new StreamBatches.EventWriter(1024);
        for (Event e : events) {
            writer.add(StreamCodec.topic(e.topic()), e.seq(), e.timestampMillis(), e.headers().encode(), e.body());
        }
        return writer.frames(0)[3];
    }

    private static void count(int entries) {
        if (entries == 0 || entries > StreamBatches.MAX_ENTRIES) {
            throw new IllegalArgumentException("a batch holds 1 to " + StreamBatches.MAX_ENTRIES + " entries, got "
                    + entries);
        }
    }

    private static List<PublishBatch.Entry> publishes(byte[] frame) {
        PackedReader in = new PackedReader(frame, "PUBLISH_BATCH");
        List<PublishBatch.Entry> entries = new ArrayList<>();
        while (in.hasMore()) {
            room(entries.size(), "PUBLISH_BATCH");
            String topic = in.topic();
            Headers headers = in.headers();
            byte[] body = in.bytes(in.length("body"), "body");
            entries.add(new PublishBatch.Entry(topic, headers, body));
        }
        nonEmpty(entries.size(), "PUBLISH_BATCH");
        return entries;
    }

    private static long[] seqs(byte[] frame) {
        if (frame.length == 0 || frame.length % 8 != 0) {
            throw new ProtocolException("PUBACK_BATCH: seqs frame must be a non-zero multiple of 8 bytes, got "
                    + frame.length);
        }
        int count = frame.length / 8;
        room(count - 1, "PUBACK_BATCH");
        PackedReader in = new PackedReader(frame, "PUBACK_BATCH");
        long[] seqs = new long[count];
        for (int i = 0; i < count; i++) {
            seqs[i] = in.u64("seq");
            if (seqs[i] < 0) {
                throw new ProtocolException("PUBACK_BATCH: seq out of range: " + Long.toUnsignedString(seqs[i]));
            }
        }
        return seqs;
    }

    private static List<Event> events(long subscriptionId, byte[] frame) {
        PackedReader in = new PackedReader(frame, "EVENT_BATCH");
        List<Event> events = new ArrayList<>();
        while (in.hasMore()) {
            room(events.size(), "EVENT_BATCH");
            String topic = in.topic();
            long seq = in.u64("seq");
            if (seq < 1) {
                throw new ProtocolException("EVENT_BATCH: seq out of range (1 to 2^63-1): "
                        + Long.toUnsignedString(seq));
            }
            long timestamp = in.u64("timestamp");
            if (timestamp < 0) {
                throw new ProtocolException("EVENT_BATCH: timestamp out of range: " + Long.toUnsignedString(timestamp));
            }
            Headers headers = in.headers();
            int frames = in.u16("body frame count");
            if (frames == 0) {
                throw new ProtocolException("EVENT_BATCH: an event needs at least one body frame");
            }
            byte[][] body = new byte[frames][];
            for (int i = 0; i < frames; i++) {
                body[i] = in.bytes(in.length("body frame"), "body frame");
            }
            events.add(new Event(subscriptionId, topic, seq, timestamp, headers, body));
        }
        nonEmpty(events.size(), "EVENT_BATCH");
        return events;
    }

    private static void room(int have, String what) {
        if (have >= StreamBatches.MAX_ENTRIES) {
            throw new ProtocolException(what + ": more than " + StreamBatches.MAX_ENTRIES + " entries");
        }
    }

    private static void nonEmpty(int count, String what) {
        if (count == 0) {
            throw new ProtocolException(what + ": no entries");
        }
    }
}
