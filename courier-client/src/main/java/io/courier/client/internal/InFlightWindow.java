package io.courier.client.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many requests, publishes, enqueues and admin commands of one client await their answer, at most
 * {@code maxInFlight}: the window that keeps a client's memory bounded. Thread-safe: application threads take a
 * place, the I/O thread gives places back as answers come (or fail).
 *
 * <p>Publishes and enqueues wait for a place ({@link #acquire}), bounded and interruptible, so a fast producer is
 * paced by the broker's confirmations instead of failing; requests take one or fail at once ({@link #tryAcquire}).
 * Giving a place back costs one atomic decrement while nobody waits.
 */
final class InFlightWindow {
    private final int max;
    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();

    InFlightWindow(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, got " + max);
        }
        this.max = max;
    }

    int max() {
        return max;
    }

    /** Places taken now. */
    int used() {
        return used.get();
    }

    /** Takes a place if one is free; never waits. */
    boolean tryAcquire() {
        if (used.incrementAndGet() > max) {
            used.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Takes a place, waiting up to {@code timeoutNanos} for one. False when none came free in time.
     *
     * @throws InterruptedException when the waiting thread is interrupted (no place is taken)
     */
    boolean acquire(long timeoutNanos) throws InterruptedException {
        if (tryAcquire()) {
            return true;
        }
        long left = timeoutNanos;
        waiting.incrementAndGet();
        lock.lockInterruptibly();
        try {
            while (!tryAcquire()) {
                if (left <= 0) {
                    return false;
                }
                left = freed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /** Gives a place back (an answer came, or the operation failed); wakes a waiter if there is one. */
    void release() {
        used.decrementAndGet();
        if (waiting.get() > 0) {
            lock.lock();
            try {
                freed.signal();
            } finally {
                lock.unlock();
            }
        }
    }
}
