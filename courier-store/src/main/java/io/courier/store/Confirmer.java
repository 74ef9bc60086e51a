package io.courier.store;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission and completion of writes. Counts writes submitted and not yet completed (the bound that makes a full
 * store fail fast), and completes futures on its own {@code courier-store-confirm} thread, one task per batch, so
 * that callers' dependent actions never run on the writer thread nor on a submitter's. Thread-safe.
 */
final class Confirmer {
    static final String THREAD_NAME = "courier-store-confirm";

    private final int capacity;
    private final AtomicInteger pending = new AtomicInteger();
    private final ExecutorService executor;
    private volatile Thread thread;

    Confirmer(int capacity) {
        this.capacity = capacity;
        // Unbounded task queue, but bounded in practice: tasks hold only admitted writes, at most `capacity`.
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread created = new Thread(task, THREAD_NAME);
            created.setDaemon(true);
            thread = created;
            return created;
        });
    }

    /** Any thread. False when {@code capacity} writes are already pending. */
    boolean tryAdmit() {
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Any thread: gives back a slot taken by {@link #tryAdmit()} for a write that was never queued. */
    void release() {
        pending.decrementAndGet();
    }

    int pending() {
        return pending.get();
    }

    /** Writer thread: the batch is durable under the sync policy. */
    void confirm(List<PendingWrite> batch) {
        List<PendingWrite> writes = List.copyOf(batch);
        run(() -> {
            pending.addAndGet(-writes.size());
            for (PendingWrite write : writes) {
                write.result.complete(null);
            }
        });
    }

    /** Writer or submitting thread: the writes failed with {@code error}. */
    void fail(List<PendingWrite> batch, RuntimeException error) {
        List<PendingWrite> writes = List.copyOf(batch);
        run(() -> {
            pending.addAndGet(-writes.size());
            for (PendingWrite write : writes) {
                write.result.completeExceptionally(error);
            }
        });
    }

    /** Any thread: lets queued completions run, then ends the thread; later completions run on their caller. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits until {@link #shutdown()} has taken effect and the thread has ended; true if within the timeout. */
    boolean awaitTermination(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        if (!executor.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        Thread last = thread;
        if (last != null) {
            TimeUnit.NANOSECONDS.timedJoin(last, Math.max(1, deadline - System.nanoTime()));
            return !last.isAlive();
        }
        return true;
    }

    private void run(Runnable completion) {
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // only after shutdown, when nothing else can run it: complete here rather than never
        }
    }
}
