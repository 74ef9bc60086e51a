package io.courier.broker.queue;

import io.courier.core.CourierException;
import io.courier.store.DurableStore;
import io.courier.store.MessageState;
import io.courier.store.Recovered;
import io.courier.store.StorageException;
import io.courier.store.StoreWrite;
import io.courier.store.StoredMessage;
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
 * The queue core's journal over the {@link DurableStore}: each intent becomes store writes (a move: a delete and a
 * put), gathered in call order for the current pass of the broker loop and handed to the store's writer thread as
 * one atomic store write by {@link #flush} at the end of the pass (or sooner, every {@value #PASS_WRITES} writes or
 * {@value #PASS_BYTES} bytes). One store write per pass rather than one per message: one future, one queue hand-off
 * and one completion instead of thousands. {@link #append} returns that future, the same for every append of the
 * pass: the transport confirms the producers when it completes.
 *
 * <p>Seqs are never reused across restarts: with the first seq of each block of {@value #SEQ_BLOCK} a queue
 * reaches, the journal also stores (atomically with that message) the queue's seq floor, the seq after the block;
 * {@link #recover} starts each queue at its floor. One metadata write per {@value #SEQ_BLOCK} messages.
 *
 * <p>Called on the broker loop thread only, except {@link #failed()}, {@link #failures()}, {@link #pendingWrites()},
 * {@link #refusal()} and {@link #status()} (any thread; write failures are seen on the store's confirmation
 * thread). A store failure is logged once, then counted.
 */
public final class StoreJournal implements QueueJournal {
    /** Metadata key prefix of a queue's seq floor (the key ends with the queue's name); value: u64. */
    static final String SEQ_FLOOR_KEY = "queue.seqFloor.";
    /** How many seqs one floor write reserves. */
    static final long SEQ_BLOCK = 4_096;
    /** A pass's writes go to the store once this many have gathered, without waiting for the end of the pass. */
    static final int PASS_WRITES = 2_048;
    /** ... or once their payloads weigh this much. */
    static final long PASS_BYTES = 4L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StoreJournal.class);

    /** One queue as the store kept it: its messages in seq order and the first seq it may give next. */
    public record Restored(String queue, List<RestoredMessage> messages, long nextSeq) {
    }

    /**
     * Why the store cannot take another enqueue now. {@code failed}: a store write failed, so nothing more can be
     * confirmed; else the store is only busy, with too many writes pending: the producer may retry.
     * {@code reason} says which, for the producer.
     */
    public record Refusal(boolean failed, String reason) {
    }

    private final DurableStore store;
    private final int mailboxCapacity;
    private final Map<String, Long> floors = new HashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile String failure;
    /** The writes of this pass, not yet handed to the store, and the future that completes when they are stored. */
    private final List<StoreWrite> pass = new ArrayList<>();
    private long passBytes;
    private CompletableFuture<Void> passStored;

    /** {@code mailboxCapacity} is the store's: how many writes it lets wait, for {@link #refusal()}. */
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
                return;   // not a queue: a durable stream's log (stream.StoredStreams)
            }
            List<RestoredMessage> decoded = new ArrayList<>(messages.size());
            for (StoredMessage m : messages) {
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

    /**
     * Gathers the message's put into this pass. Returns the pass's future, shared by every append of the pass; it
     * completes on a store thread once the pass is stored, after {@link #flush}.
     */
    @Override
    public CompletableFuture<Void> append(MessageSnapshot message) {
        byte[] payload = StoredForm.encode(message);
        gather(new StoreWrite.PutMessage(message.queue(), message.seq(), payload), payload.length);
        reserve(message.queue(), message.seq());
        return passStored;
    }

    /**
     * Hands this pass's writes to the store as one store write; the broker loop calls it at the end of every pass.
     * Nothing to do when the pass wrote nothing.
     */
    public void flush() {
        if (pass.isEmpty()) {
            return;
        }
        CompletableFuture<Void> stored = passStored;
        List<StoreWrite> writes = List.copyOf(pass);
        pass.clear();
        passBytes = 0;
        passStored = null;
        submit(writes).whenComplete((ignored, error) -> {
            if (error != null) {
                onFailure(error);
                stored.completeExceptionally(error);
            } else {
                stored.complete(null);
            }
        });
    }

    @Override
    public void ack(String queue, long seq) {
        gather(new StoreWrite.DeleteMessage(queue, seq), 0);
    }

    @Override
    public void updateDelivery(String queue, long seq, int deliveries, DeliveryState state) {
        MessageState stored = state == DeliveryState.IN_FLIGHT ? MessageState.DELIVERED : MessageState.READY;
        gather(new StoreWrite.UpdateState(queue, seq, deliveries, stored), 0);
    }

    @Override
    public void deadLetter(String queue, long seq, MessageSnapshot deadLetter) {
        move(queue, seq, deadLetter);
    }

    @Override
    public void replay(String deadLetterQueue, long seq, MessageSnapshot replayed) {
        move(deadLetterQueue, seq, replayed);
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

    /**
     * Any thread: why the store cannot take another enqueue now, or null when it can. It cannot once a write
     * failed, nor while the writes pending fill the store's mailbox but for an eighth, kept for the acks and moves
     * already under way.
     */
    public Refusal refusal() {
        String failed = failure;
        if (failed != null) {
            return new Refusal(true, "the store failed (" + failed + ")");
        }
        int pending = store.pendingWrites();
        if (pending >= mailboxCapacity - mailboxCapacity / 8) {
            return new Refusal(false, "store busy: " + pending + " writes pending (store.mailboxCapacity "
                    + mailboxCapacity + ")");
        }
        return null;
    }

    /** Any thread: the store now, for the status document. */
    public StoreStatus status() {
        return new StoreStatus(store.directory(), store.pendingWrites(), failures.get(), failure != null);
    }

    /** A move: its delete and put travel in one store write, so the message is in exactly one queue after a crash. */
    private void move(String from, long seq, MessageSnapshot to) {
        byte[] payload = StoredForm.encode(to);
        if (pass.size() + 4 > PASS_WRITES) {
            flush();   // keep the move's writes together in one store write
        }
        gather(new StoreWrite.DeleteMessage(from, seq), 0);
        gather(new StoreWrite.PutMessage(to.queue(), to.seq(), payload), payload.length);
        if (to.deliveries() > 0) {
            gather(new StoreWrite.UpdateState(to.queue(), to.seq(), to.deliveries(), MessageState.READY), 0);
        }
        reserve(to.queue(), to.seq());
    }

    /**
     * Adds a write to this pass; a full pass goes to the store first, so a message's put and the seq floor write
     * that {@link #reserve} adds right after it always travel in the same store write.
     */
    private void gather(StoreWrite write, long bytes) {
        if (pass.size() >= PASS_WRITES || passBytes >= PASS_BYTES) {
            flush();
        }
        if (passStored == null) {
            passStored = new CompletableFuture<>();
        }
        pass.add(write);
        passBytes += bytes;
    }

    /** Adds the write of a new seq floor when {@code seq} starts a block the store has not reserved yet. */
    private void reserve(String queue, long seq) {
        long floor = floors.getOrDefault(queue, 1L);
        if (seq >= floor) {
            long next = seq + SEQ_BLOCK;
            floors.put(queue, next);
            pass.add(new StoreWrite.PutMetadata(SEQ_FLOOR_KEY + queue, ByteBuffer.allocate(8).putLong(next).array()));
        }
    }

    private CompletableFuture<Void> submit(List<StoreWrite> writes) {
        try {
            return store.write(writes);
        } catch (RuntimeException e) {   // a write the store rejects on the caller's thread: report, never throw
            return CompletableFuture.failedFuture(new StorageException("store write rejected: " + e.getMessage(), e));
        }
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
