package io.courier.broker.stream;

import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.store.DurableStore;
import io.courier.store.Recovered;
import io.courier.store.StorageException;
import io.courier.store.StoreWrite;
import io.courier.store.StoredMessage;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained logs of durable streams in the {@link DurableStore}, next to the queues: stream {@code topic} is
 * stored as the store's queue {@value #NAME_PREFIX_SHOWN} + topic (a name no queue may have), one entry per seq.
 * Writes go to the store's writer thread in call order and are never waited for: a durable stream is as durable
 * as the store's sync policy makes it, and a message is sent to subscribers before it is on disk.
 *
 * <p>An entry holds the message's stamp, headers and body frames: {@code [u64 timestamp][u32 n][headers, n
 * bytes][u16 frames]} then each frame as {@code [u32 n][n bytes]}. Called on the broker loop thread, except that
 * failures are counted on the store's thread.
 */
public final class StoredStreams implements StreamJournal {
    /** Prefix of the store names that hold streams; a queue name cannot start with it. */
    public static final String NAME_PREFIX = "\u0000stream:";
    static final String NAME_PREFIX_SHOWN = "\\u0000stream:";
    private static final Logger LOG = LoggerFactory.getLogger(StoredStreams.class);

    private final DurableStore store;
    private final AtomicLong failures = new AtomicLong();

    public StoredStreams(DurableStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** True for a store name that holds a stream, not a queue. */
    public static boolean isStream(String storeName) {
        return storeName.startsWith(NAME_PREFIX);
    }

    /**
     * The streams the store held at open: topic to its messages in seq order. Where a crash left a hole (the
     * deletes of evicted messages are applied in order, so only at the front), the messages before it are left
     * out. Call once, before the loop starts.
     *
     * @throws StorageException naming the directory when a stored message cannot be read
     */
    public Map<String, List<StreamMessage>> recover(Recovered recovered) {
        Map<String, List<StreamMessage>> streams = new LinkedHashMap<>();
        recovered.queues().forEach((name, stored) -> {
            if (!isStream(name)) {
                return;
            }
            String topic = name.substring(NAME_PREFIX.length());
            List<StreamMessage> messages = new ArrayList<>(stored.size());
            for (StoredMessage m : stored) {
                if (!messages.isEmpty() && m.sequence() != messages.get(messages.size() - 1).seq() + 1) {
                    messages.clear();
                }
                messages.add(decode(topic, m.sequence(), m.payload()));
            }
            streams.put(topic, messages);
        });
        return streams;
    }

    @Override
    public void append(StreamMessage message) {
        watch(store.putMessage(NAME_PREFIX + message.topic(), message.seq(), encode(message)));
    }

    @Override
    public void evict(String topic, long fromSeq, long toSeq) {
        List<StoreWrite> deletes = new ArrayList<>((int) Math.min(1_024, toSeq - fromSeq + 1));
        for (long seq = fromSeq; seq <= toSeq; seq++) {
            deletes.add(new StoreWrite.DeleteMessage(NAME_PREFIX + topic, seq));
            if (deletes.size() == 1_024) {
                watch(store.write(List.copyOf(deletes)));
                deletes.clear();
            }
        }
        if (!deletes.isEmpty()) {
            watch(store.write(deletes));
        }
    }

    /** Any thread: store writes of durable streams that failed. */
    public long failures() {
        return failures.get();
    }

    private void watch(CompletableFuture<Void> write) {
        write.whenComplete((ok, error) -> {
            if (error != null && Long.bitCount(failures.incrementAndGet()) == 1) {
                LOG.warn("durable stream write failed dir={} failuresTotal={} error={}", store.directory(),
                        failures.get(), String.valueOf(error.getMessage()));
            }
        });
    }

    static byte[] encode(StreamMessage m) {
        byte[] headers = m.headers().encode();
        int size = 8 + 4 + headers.length + 2;
        for (byte[] frame : m.body()) {
            size += 4 + frame.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putLong(m.timestampMillis()).putInt(headers.length).put(headers)
                .putShort((short) m.body().length);
        for (byte[] frame : m.body()) {
            out.putInt(frame.length).put(frame);
        }
        return out.array();
    }

    private StreamMessage decode(String topic, long seq, byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            long timestamp = in.getLong();
            byte[] headers = new byte[in.getInt()];
            in.get(headers);
            byte[][] body = new byte[in.getShort() & 0xFFFF][];
            for (int i = 0; i < body.length; i++) {
                body[i] = new byte[in.getInt()];
                in.get(body[i]);
            }
            if (in.hasRemaining() || body.length == 0) {
                throw new IllegalArgumentException("unexpected layout");
            }
            return new StreamMessage(topic, seq, timestamp, Headers.decode(headers), body);
        } catch (BufferUnderflowException | NegativeArraySizeException | IllegalArgumentException
                 | ProtocolException e) {
            throw new StorageException("store in " + store.directory() + " holds message " + seq + " of stream '"
                    + topic + "' the broker cannot read (" + e.getMessage() + "); refusing to start", e);
        }
    }
}
