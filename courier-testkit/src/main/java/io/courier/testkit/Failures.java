package io.courier.testkit;

import io.courier.core.CourierException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads how a future failed, with a bound on the wait. Stateless and thread-safe. */
public final class Failures {
    private Failures() {
    }

    /**
     * Waits up to {@code within} for {@code future} to fail and returns its {@link CourierException}.
     *
     * @throws AssertionError when it succeeds, fails with something else, or is not done in time
     */
    public static CourierException courierFailure(CompletableFuture<?> future, Duration within) {
        try {
            Object value = future.get(within.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a CourierException, but the future completed with " + value);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CourierException courier) {
                return courier;
            }
            throw new AssertionError("expected a CourierException, got " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("future not done within " + within.toMillis() + "ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a future", e);
        }
    }
}
