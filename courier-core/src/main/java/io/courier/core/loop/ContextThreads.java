package io.courier.core.loop;

import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.zeromq.ZContext;

/**
 * Names and remembers the reaper and I/O threads ZeroMQ starts for one actor's context
 * ({@code courier-broker-zmq-iothread-2}), so that the actor's close can wait for them to end: ZeroMQ stops its
 * threads when the context closes but does not wait for them. Thread-safe.
 */
public final class ContextThreads {
    private final String owner;
    private final Thread.UncaughtExceptionHandler onFailure;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** {@code owner} prefixes the thread names; {@code onFailure} hears of a ZeroMQ thread that died. */
    public ContextThreads(String owner, Thread.UncaughtExceptionHandler onFailure) {
        this.owner = owner;
        this.onFailure = onFailure;
    }

    /**
     * Makes {@code ctx} create its threads here, and report here what its threads' event handlers throw (JeroMQ
     * catches those and prints their stack traces to stderr by default). Call before the first socket.
     */
    public void install(ZContext ctx) {
        ctx.setThreadFactor(this::newThread);
        ctx.setNotificationExceptionHandler(this::onEventFailure);
    }

    /**
     * A channel closed under an I/O thread is the end of a race JeroMQ has as its context closes (the reaper closes a
     * mailbox while an I/O thread still sends a last acknowledgement to it): nothing is lost, so it is not reported.
     */
    private void onEventFailure(Thread t, Throwable e) {
        if (!(e.getCause() instanceof ClosedChannelException)) {
            onFailure.uncaughtException(t, e);
        }
    }

    private Thread newThread(Runnable task, String name) {
        Thread t = new Thread(task, owner + "-zmq-" + name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(onFailure);
        threads.add(t);
        return t;
    }

    /** Waits up to {@code millis} in all for every thread to end; keeps the interrupt flag. */
    public void join(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            for (Thread t : threads) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    t.join(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
