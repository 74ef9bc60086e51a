package io.courier.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The shared pool that lends threads to each client's callback {@link BatchingExecutor} when
 * {@code ClientConfig.callbackExecutor()} is null: cached, daemon threads named {@code courier-callback-N}, made on
 * first use and never shut down (idle threads end after a minute). Thread-safe.
 */
final class CallbackPool {
    private CallbackPool() {
    }

    /** Lazily created on first use, so an application that brings its own executor never starts it. */
    private static final class Holder {
        static final ExecutorService POOL = Executors.newCachedThreadPool(DaemonThreads.named("courier-callback"));
    }

    static ExecutorService shared() {
        return Holder.POOL;
    }
}
