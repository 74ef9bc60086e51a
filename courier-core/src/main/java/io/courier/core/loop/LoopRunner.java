package io.courier.core.loop;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The skeleton every loop thread shares (the broker loop, a client connection, the ZAP handler): it starts the
 * thread, runs the loop's body, tells a real failure from the end of the ZeroMQ context ({@code ETERM}, how a
 * closing context stops a blocked socket), always runs the shutdown, and completes {@link #terminated} after it.
 * Inside the loop, {@link #guarded} runs one step so that its failure is counted and logged without ending the
 * loop.
 *
 * <p>One per loop. {@link #guarded} and {@link #run} are called on the loop thread only; the rest is thread-safe.
 */
public final class LoopRunner {
    private final String name;
    private final Logger log;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Thread owner;
    private long failures;

    /** {@code name} says which loop in logs, for example {@code broker loop} or {@code conn=courier-client-3}. */
    public LoopRunner(String name, Logger log) {
        this.name = name;
        this.log = log;
    }

    /** Starts a thread named {@code threadName} that runs {@code loop} (whose {@code run} calls {@link #run}). */
    public void start(String threadName, boolean daemon, Runnable loop) {
        Thread thread = new Thread(loop, threadName);
        thread.setDaemon(daemon);
        owner = thread;
        thread.start();
    }

    /**
     * On the loop thread: runs {@code body} until it returns or fails, then {@code shutdown}, then completes
     * {@link #terminated}. A failure of the body is logged (an {@code ETERM} is the context closing, not a
     * failure) and never escapes: the thread ends cleanly either way.
     */
    public void run(Runnable body, Runnable shutdown) {
        if (owner == null) {
            owner = Thread.currentThread();
        }
        try {
            body.run();
        } catch (ZMQException e) {
            if (!isContextEnd(e)) {
                log.error("{} failed error={}", name, e.toString(), e);
            }
        } catch (RuntimeException e) {
            log.error("{} failed", name, e);
        } finally {
            try {
                shutdown.run();
            } catch (RuntimeException e) {
                log.warn("{} shutdown failed error={}", name, e.toString(), e);
            } finally {
                terminated.complete(null);
            }
        }
    }

    /**
     * Runs one step of the loop; a failure is counted and logged (the 1st, 2nd, 4th, 8th...: visible, never a
     * flood) and the loop carries on.
     */
    public void guarded(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failed(what, e);
        }
    }

    /** Counts and logs a step that failed, as {@link #guarded} does, for a step that returns a value. */
    public void failed(String what, RuntimeException e) {
        failures++;
        if (Long.bitCount(failures) == 1) {
            log.warn("{} failed in {} failures={}", what, name, failures, e);
        }
    }

    /** Steps that failed so far; read on the loop thread. */
    public long failures() {
        return failures;
    }

    /** True on the loop's own thread. */
    public boolean isOwner() {
        return Thread.currentThread() == owner;
    }

    /** Completes once the shutdown has run. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Any thread: waits up to {@code timeoutMillis} for the loop to end; true when it has. Called on the loop
     * thread itself, it cannot wait and answers whether the loop is already done.
     */
    public boolean awaitEnd(long timeoutMillis) {
        Thread thread = owner;
        return thread == null ? terminated.isDone() : LoopEnd.await(thread, terminated, timeoutMillis);
    }

    /** True when {@code e} is the ZeroMQ context ending ({@code ETERM}): how a closing context stops a loop. */
    public static boolean isContextEnd(ZMQException e) {
        return e.getErrorCode() == ZMQ.Error.ETERM.getCode();
    }
}
