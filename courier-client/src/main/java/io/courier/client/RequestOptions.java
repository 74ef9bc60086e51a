package io.courier.client;

import java.time.Duration;

/**
 * How one request is sent: {@code timeout} is the deadline of each attempt (the broker drops the request
 * and answers EXPIRED when no worker took it in time), {@code retries} how many more attempts follow a timeout.
 * The worst case before failing is {@code timeout * (retries + 1)}. Immutable.
 */
public record RequestOptions(Duration timeout, int retries) {
    public RequestOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive [timeout=" + timeout + "]");
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be under 24 days [timeout=" + timeout + "]");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0 [retries=" + retries + "]");
        }
    }

    public static RequestOptions of(Duration timeout, int retries) {
        return new RequestOptions(timeout, retries);
    }

    public RequestOptions withTimeout(Duration value) {
        return new RequestOptions(value, retries);
    }

    public RequestOptions withRetries(int value) {
        return new RequestOptions(timeout, value);
    }
}
