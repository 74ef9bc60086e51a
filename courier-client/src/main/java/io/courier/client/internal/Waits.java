package io.courier.client.internal;

import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.core.Durations;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The one blocking wait of the public handles ({@code awaitSubscribed}, {@code awaitConsuming}). Stateless. */
final class Waits {
    private Waits() {
    }

    /**
     * Waits up to {@code timeout} for {@code future}: TIMEOUT saying {@code operation} was {@code notDone} within
     * it (or the wait was interrupted), the future's own {@link CourierException} when it failed with one.
     */
    static void await(Future<?> future, Duration timeout, String operation, String notDone) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CourierException(Reason.TIMEOUT, operation + " " + notDone + " within "
                    + Durations.format(timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(Reason.TIMEOUT, operation + ": wait interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CourierException error) {
                throw error;
            }
            throw new CourierException(Reason.PROTOCOL, operation + " failed", e.getCause());
        }
    }
}
