package io.courier.client;

/**
 * How a queue consumer takes messages. Immutable and thread-safe; a prefetch under 1 throws
 * {@code IllegalArgumentException}.
 *
 * @param prefetch the most deliveries the consumer holds unacked at once (the broker's credit): the handler's
 *                 backlog never grows past it. Default {@value #DEFAULT_PREFETCH}
 */
public record ConsumeOptions(int prefetch) {
    /** The default prefetch. */
    public static final int DEFAULT_PREFETCH = 64;

    public ConsumeOptions {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1 [prefetch=" + prefetch + "]");
        }
    }

    /** Prefetch {@value #DEFAULT_PREFETCH}. */
    public static ConsumeOptions defaults() {
        return new ConsumeOptions(DEFAULT_PREFETCH);
    }

    public ConsumeOptions withPrefetch(int value) {
        return new ConsumeOptions(value);
    }
}
