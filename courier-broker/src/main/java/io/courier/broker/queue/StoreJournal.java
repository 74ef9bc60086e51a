package io.courier.broker.queue;

import io.courier.protocol.CourierException;
import io.courier.store.DurableStore;
import io.courier.store.MessageState;
import io.courier.store.Recovered;
import io.courier.store.StorageException;
import io.courier.store.StoreWrite;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue core's journal over the {@link DurableStore}: each intent becomes one store write (moves one atomic
 * write of a delete and a put), queued to the store's writer thread in call order. The future of the latest
 * {@link #append} is kept for the transport, which confirms the producer when it completes.
 *
 * <p>Seqs are never reused across restarts: with the first seq of each block of {@value #SEQ_BLOCK} a queue
 * reaches, the journal also stores (atomically with that message) the queue's seq floor, the seq after the block;
 * {@link #recover} starts each queue at its floor. One metadata write per {@value #SEQ_BLOCK} messages.
 *
 * <p>Called on the broker loop thread only, except {@link #failed()} and {@link #failures()} (any thread; write
 * failures are seen on the store's confirmation thread). A store failure is logged once, then counted.
 */
public final class StoreJournal implements QueueJournal {
    /** Metadata key prefix of a queue's seq floor (the key ends with the queue's name); value: u64. */
    static final String SEQ_FLOOR_KEY = "queue.seqFloor.";
    /** How many seqs one floor write reserves. */
    static final long SEQ_BLOCK = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(StoreJournal.class);

    /** One queue as the store kept it: its messages in seq order and the first seq it may give next. */
    public record Restored(String queue, List<StoredMessage> messages, long nextSeq) {
    }

    private final DurableStore store;
    private final int mailboxCapacity;
    private final Map<String, Long> floors = new HashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile String failure;
    private CompletableFuture<Void> lastAppend;

    /** {@code mailboxCapacity} is the store's, for {@link #mailboxCapacity()}. */
    public StoreJournal(DurableStore store, int mailboxCapacity) {
        this.store = Objects.requireNonNull(store, "store");
        this.mailboxCapacity = mailboxCapacity;
    }

    /**
     * Reads what the store held at open into queues to restore, decoding each message and taking each queue's seq
     * floor; the journal remembers the floors. Call once, before the loop starts.
     *
     * @throws StorageException naming the directory when a message cannot be decoded
     */
    public List<Restored> recover(Recovered recovered) {
        Map<String, Long> stored = new HashMap<>();
        recovered.metadata().forEach((key, value) -> {
            if (key.startsWith(SEQ_FLOOR_KEY) && value.length == 8) {
                stored.put(key.substring(SEQ_FLOOR_KEY.length()), ByteBuffer.wrap(value).getLong());
            }
        });
        List<Restored> queues = new ArrayList<>();
        recovered.queues().forEach((queue, messages) -> {
            if (queue.startsWith(QueueCore.RESERVED_PREFIX)) {
                return;   // not a queue: a durable stream's log (pubsub.StoredStreams)
            }
            List<StoredMessage> decoded = new ArrayList<>(messages.size());
            for (io.courier.store.StoredMessage m : messages) {
                try {
                    decoded.add(StoredForm.decode(m.sequence(), m.payload(), m.deliveryCount()));
                } catch (IllegalArgumentException e) {
                    throw new StorageException("store in " + store.directory() + " holds a message of queue '"
                            + queue + "' the broker cannot read (" + e.getMessage() + "); refusing to start", e);
                }
            }
            long floor = stored.getOrDefault(queue, 1L);
            queues.add(new Restored(queue, decoded, floor));
        });
        stored.forEach((queue, floor) -> {
            if (!recovered.queues().containsKey(queue)) {
                queues.add(new Restored(queue, List.of(), floor));
            }
        });
        floors.putAll(stored);
        queues.sort((a, b) -> a.queue().compareTo(b.queue()));
        return queues;
    }

    @Override
    public void append(QueuedMessage message) {
        List<StoreWrite> writes = new ArrayList<>(2);
        writes.add(new StoreWrite.PutMessage(message.queue(), message.seq(), StoredForm.encode(message)));
        reserve(writes, message.queue(), message.seq());
        lastAppend = submit(writes, "append");
    }

    /** The future of the latest {@link #append}, once; null when taken already. Completes on a store thread. */
    public CompletableFuture<Void> takeAppend() {
        CompletableFuture<Void> taken = lastAppend;
        lastAppend = null;
        return taken;
    }

    @Override
    public void ack(String queue, long seq) {
        watch(submit(List.of(new StoreWrite.DeleteMessage(queue, seq)), "ack"));
    }

    @Override
    public void updateDelivery(String queue, long seq, int deliveries, DeliveryState state) {
        MessageState stored = state == DeliveryState.IN_FLIGHT ? MessageState.DELIVERED : MessageState.READY;
        watch(submit(List.of(new StoreWrite.UpdateState(queue, seq, deliveries, stored)), "update"));
    }

    @Override
    public void deadLetter(String queue, long seq, QueuedMessage deadLetter) {
        move(queue, seq, deadLetter, "dead-letter");
    }

    @Override
    public void replay(String deadLetterQueue, long seq, QueuedMessage replayed) {
        move(deadLetterQueue, seq, replayed, "replay");
    }

    /** Any thread: the first store failure's description, or null while every write succeeded. */
    public String failed() {
        return failure;
    }

    /** Any thread: how many store writes failed. */
    public long failures() {
        return failures.get();
    }

    /** Any thread: writes submitted and not yet done. */
    public int pendingWrites() {
        return store.pendingWrites();
    }

    /** How many writes the store lets wait: its {@code mailboxCapacity}. */
    public int mailboxCapacity() {
        return mailboxCapacity;
    }

    public DurableStore store() {
        return store;
    }

    private void move(String from, long seq, QueuedMessage to, String what) {
        List<StoreWrite> writes = new ArrayList<>(3);
        writes.add(new StoreWrite.DeleteMessage(from, seq));
        writes.add(new StoreWrite.PutMessage(to.queue(), to.seq(), StoredForm.encode(to)));
        if (to.deliveries() > 0) {
            writes.add(new StoreWrite.UpdateState(to.queue(), to.seq(), to.deliveries(), MessageState.READY));
        }
        reserve(writes, to.queue(), to.seq());
        watch(submit(writes, what));
    }

    /** Adds the write of a new seq floor when {@code seq} starts a block the store has not reserved yet. */
    private void reserve(List<StoreWrite> writes, String queue, long seq) {
        long floor = floors.getOrDefault(queue, 1L);
        if (seq >= floor) {
            long next = seq + SEQ_BLOCK;
            floors.put(queue, next);
            writes.add(new StoreWrite.PutMetadata(SEQ_FLOOR_KEY + queue,
                    ByteBuffer.allocate(8).putLong(next).array()));
        }
    }

    private CompletableFuture<Void> submit(List<StoreWrite> writes, String what) {
        try {
            return store.write(writes);
        } catch (RuntimeException e) {   // a write the store rejects on the caller's thread: report, never throw
            return CompletableFuture.failedFuture(new StorageException("store " + what + " rejected: "
                    + e.getMessage(), e));
        }
    }

    private void watch(CompletableFuture<Void> write) {
        write.whenComplete((ignored, error) -> {
            if (error != null) {
                onFailure(error);
            }
        });
    }

    /** Any thread: counts a failed write; the first is logged, then powers of two. */
    public void onFailure(Throwable error) {
        long n = failures.incrementAndGet();
        Throwable cause = error.getCause() != null && !(error instanceof CourierException) ? error.getCause()
                : error;
        boolean passing = cause instanceof CourierException c
                && (c.reason() == CourierException.Reason.BACKPRESSURE || c.reason() == CourierException.Reason.CLOSED);
        if (!passing && failure == null) {
            failure = String.valueOf(cause.getMessage());
        }
        if (Long.bitCount(n) == 1) {
            LOG.error("store write failed dir={} failures={} error={}", store.directory(), n, cause.toString());
        }
    }
}
