package io.courier.client.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subscription's listener calls on the callback executor, one at a time and in the order submitted.
 * Thread-safe: the connection's I/O thread submits, executor threads run; {@link #stop()} from any thread.
 */
final class SerialDelivery implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SerialDelivery.class);
    private static final int BATCH = 256;

    private final String name;
    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean stopped;

    SerialDelivery(String name, Executor executor) {
        this.name = name;
        this.executor = executor;
    }

    /** Queues a call; it runs after every call submitted before it. Ignored once stopped. */
    void submit(Runnable task) {
        if (stopped) {
            return;
        }
        tasks.add(task);
        queued.incrementAndGet();
        schedule();
    }

    /** Calls submitted and not yet finished. */
    int queued() {
        return queued.get();
    }

    /** No call starts after this returns; one running may finish. Queued calls are dropped. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            for (int n = 0; n < BATCH; n++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    if (!stopped) {
                        task.run();
                    }
                } catch (RuntimeException e) {
                    int count = failures.incrementAndGet();
                    if (Integer.bitCount(count) == 1) {   // 1st, 2nd, 4th...: visible, never a flood
                        LOG.warn("stream listener failed subscription={} failures={}", name, count, e);
                    }
                } finally {
                    queued.decrementAndGet();
                }
            }
        } finally {
            scheduled.set(false);
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            LOG.warn("stream listener calls refused by the callback executor subscription={} queued={} error={}",
                    name, queued.get(), e.toString());
        }
    }
}
