package io.courier.bench;

import io.courier.core.loop.ContextThreads;
import org.zeromq.ZContext;

/**
 * The ZeroMQ context of a raw JeroMQ baseline: one I/O thread, zero linger, and its threads' failures reported in
 * one line on stderr instead of JeroMQ's default stack trace (a closed channel as the context closes is not one).
 */
public final class RawContext {
    private RawContext() {
    }

    public static ZContext open() {
        ZContext ctx = new ZContext(1);
        ctx.setLinger(0);
        new ContextThreads("bench-raw", (t, e) -> System.err.println("raw JeroMQ thread " + t.getName()
                + " failed: " + e)).install(ctx);
        return ctx;
    }
}
