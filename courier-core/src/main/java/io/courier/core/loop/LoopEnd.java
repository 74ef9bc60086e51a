package io.courier.core.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits, with a bound, for an actor's loop thread to finish its shutdown and end. Stateless. */
public final class LoopEnd {
    private LoopEnd() {
    }

    /**
     * Waits up to {@code timeoutMillis} for {@code terminated}, then for {@code owner} to end; true when it has.
     * Called on the owner itself, it cannot wait and answers whether the loop is already done. Keeps the
     * interrupt flag.
     */
    public static boolean await(Thread owner, CompletableFuture<Void> terminated, long timeoutMillis) {
        if (owner == null || owner == Thread.currentThread()) {
            return terminated.isDone();
        }
        try {
            terminated.get(timeoutMillis, TimeUnit.MILLISECONDS);
            owner.join(timeoutMillis);
            return !owner.isAlive();
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;   // terminated never completes exceptionally; kept for the checked signature
        }
    }
}
