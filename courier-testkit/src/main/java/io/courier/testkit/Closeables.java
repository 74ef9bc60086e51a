package io.courier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Closes test resources in the order given, all of them even when some fail, then rethrows the first failure
 * with the others attached as suppressed. Stateless and thread-safe; blocks as long as the closes do.
 */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes each non-null resource in order. Pass them in reverse start order ({@code closeAll(client, broker)}).
     *
     * @throws RuntimeException or {@link Error}: the first failure, as thrown when unchecked, otherwise wrapped
     *                          ({@link UncheckedIOException} for an {@link IOException}, else
     *                          {@link IllegalStateException}); later failures are suppressed in it
     */
    public static void closeAll(AutoCloseable... resources) {
        Throwable first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;   // a fixture that never started
            }
            try {
                resource.close();
            } catch (Throwable e) {   // an Error too: the remaining resources must still close
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw unchecked(first);
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure instanceof IOException e) {
            return new UncheckedIOException("close failed", e);
        }
        return new IllegalStateException("close failed", failure);
    }
}
