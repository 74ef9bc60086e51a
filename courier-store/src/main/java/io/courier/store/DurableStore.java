package io.courier.store;

import io.courier.core.CourierException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store: queue messages, their delivery state and metadata, in RocksDB, with one writer thread.
 *
 * <p><b>Threads.</b> Every write goes through a bounded mailbox to the {@code courier-store} thread, which alone
 * writes: it takes everything queued (up to the batch limits), applies it as one atomic batch with one fsync (group
 * commit), and only then completes the batch's futures. Futures complete on the {@code courier-store-confirm}
 * thread, never on the writer nor with a lock held: actions chained with the non-async {@code thenXxx} methods run
 * there too, so keep them short (hand the result to your own thread) or every later confirmation waits for them.
 *
 * <p><b>Durability.</b> A future completes once its write is durable under the {@link SyncPolicy}: with the default
 * {@link SyncPolicy#ALWAYS}, fsynced. {@link #open} reads everything back, so after a crash or restart
 * {@link #takeRecovered()} holds, per queue and in order, every confirmed message not yet deleted.
 *
 * <p><b>Blocking and errors.</b> Write methods never block: when {@code mailboxCapacity} writes are pending the
 * future fails at once with {@link CourierException.Reason#BACKPRESSURE}; after {@link #close()} it fails with
 * {@link CourierException.Reason#CLOSED}; a write or fsync the disk refused fails with a {@link StorageException}
 * (its data may or may not survive a crash, so treat it as unconfirmed). Invalid arguments throw
 * {@link IllegalArgumentException} on the caller's thread. {@link #open} blocks while it verifies and reads the store,
 * and {@link #close()} blocks for at most {@code closeTimeout}. Thread-safe.
 */
public final class DurableStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableStore.class);

    private final Path directory;
    private final StoreSettings settings;
    private final BlockingQueue<PendingWrite> mailbox;
    private final PendingWrite stop = PendingWrite.stop();
    private final Confirmer confirmer;
    private final StoreWriter writer;
    private final Thread writerThread;
    private final AtomicReference<Recovered> recovered;
    private final AtomicBoolean closing = new AtomicBoolean();

    private DurableStore(Database database, StoreSettings settings, Recovered recovered) {
        this.directory = database.directory();
        this.settings = settings;
        this.recovered = new AtomicReference<>(recovered);
        this.mailbox = new ArrayBlockingQueue<>(settings.mailboxCapacity() + 1); // + 1: room for the stop marker
        this.confirmer = new Confirmer(settings.mailboxCapacity());
        this.writer = new StoreWriter(database, mailbox, stop, confirmer, settings);
        this.writerThread = new Thread(writer, StoreWriter.THREAD_NAME);
    }

    /**
     * Opens the store in {@code directory}, creating the directory and an empty store if there is none. Before it
     * returns it verifies the checksum of every table file, replays the log (a torn last record, which a crash can
     * leave, is dropped; a corrupt record anywhere else fails the open), and reads every message back for
     * {@link #takeRecovered()}. Then it starts the writer.
     *
     * @throws StorageException if the directory cannot be created or written, or the store is corrupt, damaged or
     *     of another format; the message names the directory and the cause. Nothing is left open or running.
     */
    public static DurableStore open(Path directory, StoreSettings settings) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(settings, "settings");
        long start = System.nanoTime();
        Database database = Database.open(directory, settings);
        Recovered recovered;
        try {
            recovered = RecoveryReader.read(database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        DurableStore store = new DurableStore(database, settings, recovered);
        store.writerThread.start();
        LOG.info("store opened dir={} queues={} messages={} syncPolicy={} tookMs={}", directory,
            recovered.queues().size(), recovered.messageCount(), settings.syncPolicy(),
            (System.nanoTime() - start) / 1_000_000);
        return store;
    }

    /**
     * Hands over what {@link #open} read, once, so that the store keeps no payloads after the queues have taken them.
     *
     * @throws IllegalStateException on a second call
     */
    public Recovered takeRecovered() {
        Recovered taken = recovered.getAndSet(null);
        if (taken == null) {
            throw new IllegalStateException("the recovered state of the store in " + directory + " was already taken");
        }
        return taken;
    }

    /**
     * Stores a message with delivery count 0, {@link MessageState#READY}. The store reads {@code payload} later, on
     * its writer thread: do not change it after the call.
     */
    public CompletableFuture<Void> putMessage(String queue, long sequence, byte[] payload) {
        return write(List.of(new StoreWrite.PutMessage(queue, sequence, payload)));
    }

    /** Deletes a message and its delivery state, as on an acknowledgement. */
    public CompletableFuture<Void> deleteMessage(String queue, long sequence) {
        return write(List.of(new StoreWrite.DeleteMessage(queue, sequence)));
    }

    /** Records a message's delivery count and state. */
    public CompletableFuture<Void> updateState(String queue, long sequence, int deliveryCount, MessageState state) {
        return write(List.of(new StoreWrite.UpdateState(queue, sequence, deliveryCount, state)));
    }

    /** Stores a metadata entry. The store reads {@code value} later: do not change it after the call. */
    public CompletableFuture<Void> putMetadata(String key, byte[] value) {
        return write(List.of(new StoreWrite.PutMetadata(key, value)));
    }

    /** Deletes a metadata entry. */
    public CompletableFuture<Void> deleteMetadata(String key) {
        return write(List.of(new StoreWrite.DeleteMetadata(key)));
    }

    /**
     * Applies {@code writes} atomically (all survive a crash or none does; a dead-letter move is a delete and a put),
     * counting as one pending write. Any thread; never blocks.
     */
    public CompletableFuture<Void> write(List<StoreWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        if (writes.isEmpty()) {
            throw new IllegalArgumentException("writes must not be empty");
        }
        for (StoreWrite write : writes) {
            Objects.requireNonNull(write, "writes must not hold null");
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (closing.get()) {
            result.completeExceptionally(closedError());
            return result;
        }
        PendingWrite pending = PendingWrite.encode(writes, result);
        if (!confirmer.tryAdmit()) {
            reportRejected();
            result.completeExceptionally(new CourierException(CourierException.Reason.BACKPRESSURE, "store write: "
                + settings.mailboxCapacity() + " writes already pending (mailboxCapacity); retry later"));
            return result;
        }
        if (!mailbox.offer(pending)) {
            confirmer.release(); // not reachable while admission holds the mailbox to capacity; defensive
            result.completeExceptionally(new CourierException(CourierException.Reason.BACKPRESSURE,
                "store write: mailbox full"));
            return result;
        }
        if (writer.isClosed() && mailbox.remove(pending)) {
            confirmer.fail(List.of(pending), closedError()); // lost the race with close: the writer will not see it
        }
        return result;
    }

    /** How many writes are submitted and not yet completed. */
    public int pendingWrites() {
        return confirmer.pending();
    }

    public Path directory() {
        return directory;
    }

    /**
     * Stops taking writes, lets the writer apply and sync everything already submitted, flushes and closes the
     * database, and completes the last futures; waits at most {@code closeTimeout} for all of it. Idempotent: later
     * calls wait the same way and return. If the disk hangs past the timeout it logs an error and returns; the
     * writer still finishes on its own once the disk answers, closes the database and ends both threads.
     */
    @Override
    public void close() {
        boolean first = closing.compareAndSet(false, true);
        if (first) {
            if (!mailbox.offer(stop)) {
                LOG.error("store close could not queue its stop command dir={}", directory);
            }
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        try {
            if (!writer.awaitTermination(deadline - System.nanoTime())) {
                LOG.error("store writer did not finish within closeTimeout dir={} timeout={} pending={}", directory,
                    settings.closeTimeout(), confirmer.pending());
                return;
            }
            if (!confirmer.awaitTermination(Math.max(0, deadline - System.nanoTime()))) {
                LOG.warn("store confirmations still running after closeTimeout dir={}", directory);
                return;
            }
            writerThread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("store close interrupted dir={}", directory);
            return;
        }
        if (first) {
            LOG.info("store closed dir={}", directory);
        }
    }

    private void reportRejected() {
        try {
            settings.metrics().onRejected();
        } catch (RuntimeException e) {
            LOG.warn("store metrics hook failed dir={} error={}", directory, e.toString());
        }
    }

    private CourierException closedError() {
        return new CourierException(CourierException.Reason.CLOSED, "store write: the store in " + directory
            + " is closed");
    }
}
