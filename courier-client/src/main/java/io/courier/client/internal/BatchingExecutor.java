package io.courier.client.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on threads lent by another executor, waking as few of them as a burst needs: a runner that is woken
 * drains the queue, so 64 replies read in one I/O pass cost one thread wake-up, not 64. Thread-safe: any thread
 * submits; runners are the lender's threads.
 *
 * <p>A second runner is started only when a task is waiting and no runner is free to take it, and never while
 * another is still on its way; so runners grow one at a time, at most {@code maxRunners}, and only while tasks
 * keep waiting. A task that blocks (on I/O, or on another task's result) therefore never holds up the rest: the
 * next submission finds no free runner and starts one. No order is promised between tasks.
 *
 * <p>A runner can also put off one action until the queue is drained ({@link #deferUntilDrained}): the client
 * queues the requests that 64 callbacks send without waking its I/O loop 64 times, and rings its doorbell once,
 * when the last callback of the burst has run, so the burst leaves as one BATCH. In the other direction the I/O
 * loop queues the completions of one message read (a BATCH of replies) without waking anyone and starts a runner
 * once, after that message ({@link #holdStartsOn}, {@link #release}).
 */
final class BatchingExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingExecutor.class);
    private static final ThreadLocal<BatchingExecutor> CURRENT = new ThreadLocal<>();

    private final String name;
    private final Executor threads;
    private final int maxRunners;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger runners = new AtomicInteger();   // started and not yet returned
    private final AtomicInteger free = new AtomicInteger();      // runners between tasks, taking the next one
    private final AtomicBoolean starting = new AtomicBoolean();  // a runner handed to the lender, not yet running
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean drainActionOwed = new AtomicBoolean();
    private final Runnable onDrained;
    private volatile BooleanSupplier onHeldThread = () -> false;

    /**
     * @param name       names this executor in logs ({@code courier-client-3 callbacks})
     * @param threads    lends the threads; must accept up to {@code maxRunners} long-running tasks
     * @param maxRunners how many tasks may run at once, at least 1
     * @param onDrained  what {@link #deferUntilDrained} puts off: run on a runner once the queue is seen empty
     */
    BatchingExecutor(String name, Executor threads, int maxRunners, Runnable onDrained) {
        this.name = Objects.requireNonNull(name, "name");
        this.onDrained = Objects.requireNonNull(onDrained, "onDrained");
        this.threads = Objects.requireNonNull(threads, "threads");
        if (maxRunners < 1) {
            throw new IllegalArgumentException("maxRunners must be >= 1, got " + maxRunners);
        }
        this.maxRunners = maxRunners;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        if (!onHeldThread.getAsBoolean()) {
            startRunnerIfNeeded();
        }
    }

    /**
     * Tasks submitted on the thread {@code isHeldThread} recognises (an I/O loop completing a message's replies)
     * only queue; that thread calls {@link #release} after each message and at the end of its pass. Otherwise the
     * first task of a burst would wake a runner that empties the queue and leaves before the loop has decoded the
     * second reply; and holding them for a whole pass (up to a thousand messages) would let a stream's events pile
     * up past the subscription's buffer while no listener runs.
     */
    void holdStartsOn(BooleanSupplier isHeldThread) {
        this.onHeldThread = Objects.requireNonNull(isHeldThread, "isHeldThread");
    }

    /** Any thread: starts a runner for what was queued on the held thread, if none is free. */
    void release() {
        startRunnerIfNeeded();
    }

    /** Any thread: true on a thread that is running one of this executor's tasks. */
    boolean isRunner() {
        return CURRENT.get() == this;
    }

    /**
     * Runner threads: {@code onDrained} will run once no task is left queued, on whichever runner sees that first
     * (at once when none is queued now). Safe when the calling task then blocks: another runner takes the queued
     * tasks and pays the action when it empties the queue.
     */
    void deferUntilDrained() {
        drainActionOwed.set(true);
        if (tasks.isEmpty()) {
            payDrainAction();
        }
    }

    private void payDrainAction() {
        if (drainActionOwed.getAndSet(false)) {
            try {
                onDrained.run();
            } catch (RuntimeException e) {
                LOG.warn("drain action failed name={}", name, e);
            }
        }
    }

    /** Tasks submitted and not yet started. */
    int queued() {
        return tasks.size();
    }

    /** Runners now started (running a task or looking for one). */
    int runners() {
        return runners.get();
    }

    private void startRunnerIfNeeded() {
        if (free.get() > 0 || starting.get() || runners.get() >= maxRunners || tasks.isEmpty()) {
            return;
        }
        if (!starting.compareAndSet(false, true)) {
            return;
        }
        if (runners.incrementAndGet() > maxRunners) {   // raced with another start: the cap holds
            runners.decrementAndGet();
            starting.set(false);
            return;
        }
        try {
            threads.execute(this::runTasks);
        } catch (RejectedExecutionException e) {
            runners.decrementAndGet();
            starting.set(false);
            LOG.warn("tasks refused by the executor name={} queued={} error={}", name, tasks.size(), e.toString());
        }
    }

    private void runTasks() {
        free.incrementAndGet();
        starting.set(false);
        CURRENT.set(this);
        try {
            drain();
        } finally {
            CURRENT.remove();
        }
    }

    private void drain() {
        while (true) {
            Runnable task = tasks.poll();
            if (drainActionOwed.get() && tasks.isEmpty()) {   // after the poll: see deferUntilDrained
                payDrainAction();
            }
            if (task == null) {
                free.decrementAndGet();
                runners.decrementAndGet();
                startRunnerIfNeeded();   // a task added as this runner left found it free and started nobody
                return;
            }
            free.decrementAndGet();
            startRunnerIfNeeded();       // more waiting: a second pair of hands while this task runs
            boolean returned = false;
            try {
                runSafely(task);
                returned = true;
            } finally {
                if (!returned) {   // an Error: this runner ends with it, and another takes the rest
                    runners.decrementAndGet();
                    startRunnerIfNeeded();
                }
            }
            free.incrementAndGet();
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            int count = failures.incrementAndGet();
            if (Integer.bitCount(count) == 1) {   // 1st, 2nd, 4th...: visible, never a flood
                LOG.warn("task failed name={} failures={}", name, count, e);
            }
        }
    }

    @Override
    public String toString() {
        return "BatchingExecutor[" + name + ", runners=" + runners.get() + ", queued=" + tasks.size() + "]";
    }
}
