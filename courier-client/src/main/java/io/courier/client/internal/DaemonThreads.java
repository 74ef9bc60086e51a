package io.courier.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes named daemon threads ({@code prefix-1}, {@code prefix-2}, ...), and when asked remembers them so their
 * owner can join them on close. Thread-safe; owns no thread itself.
 */
final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> made;

    private DaemonThreads(String prefix, boolean tracked) {
        this.prefix = prefix;
        this.made = tracked ? new CopyOnWriteArrayList<>() : null;
    }

    /** For pools that live as long as the JVM: threads are not remembered. */
    static ThreadFactory named(String prefix) {
        return new DaemonThreads(prefix, false);
    }

    /** For a fixed-size pool closed with its owner: {@link #join} waits for every thread it made. */
    static DaemonThreads tracked(String prefix) {
        return new DaemonThreads(prefix, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        if (made != null) {
            made.add(thread);
        }
        return thread;
    }

    /** Waits up to {@code timeoutMillis} in all for the remembered threads to end; true when all have. */
    boolean join(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread thread : made) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            thread.join(left);
        }
        return made.stream().noneMatch(Thread::isAlive);
    }
}
