package io.courier.broker.stream;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits of the streams core. Each stream keeps the retention of the first rule whose pattern matches its name,
 * else the default retention ({@code maxMessages}, {@code maxBytes}, {@code maxAge}); {@code maxStreams} and
 * {@code catchUpBatch} are for the core as a whole. Immutable; validated on construction.
 *
 * @param maxMessages  most messages a stream's retained log keeps (older ones are evicted), unless a rule says
 * @param maxBytes     most bytes a stream's retained log keeps: body frames plus encoded headers per message
 * @param maxAge       how long a message stays in the retained log
 * @param maxStreams   most streams the broker keeps; a publish that would create one more is refused
 * @param catchUpBatch most messages (events and losses) one catch-up pass sends, over all lagging subscriptions
 * @param rules        retention per stream-name pattern, tried in order; the first that matches wins
 */
public record StreamSettings(int maxMessages, long maxBytes, Duration maxAge, int maxStreams, int catchUpBatch,
                             List<PatternRetention> rules) {
    /** The largest {@code maxMessages}: the retained log is an array of at most 2^30 slots. */
    public static final int MAX_MESSAGES_LIMIT = Retention.MAX_MESSAGES_LIMIT;
    /** Messages one catch-up pass sends unless told otherwise. */
    public static final int DEFAULT_CATCH_UP_BATCH = 1_024;

    public StreamSettings {
        new Retention(maxMessages, maxBytes, maxAge); // validates the default retention
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be >= 1 [maxStreams=" + maxStreams + "]");
        }
        if (catchUpBatch < 1) {
            throw new IllegalArgumentException("catchUpBatch must be >= 1 [catchUpBatch=" + catchUpBatch + "]");
        }
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
    }

    /** The same limits for every stream: no rules. */
    public StreamSettings(int maxMessages, long maxBytes, Duration maxAge, int maxStreams, int catchUpBatch) {
        this(maxMessages, maxBytes, maxAge, maxStreams, catchUpBatch, List.of());
    }

    /** 100,000 messages, 64 MiB and one hour per stream; 10,000 streams; 1,024 messages per catch-up pass. */
    public static StreamSettings defaults() {
        return new StreamSettings(100_000, 64L * 1024 * 1024, Duration.ofHours(1), 10_000, DEFAULT_CATCH_UP_BATCH);
    }

    /** The retention of stream {@code topic}: that of the first matching rule, else the default one. */
    public Retention retentionFor(String topic) {
        for (PatternRetention rule : rules) {
            if (rule.matches(topic)) {
                return rule.retention();
            }
        }
        return defaultRetention();
    }

    /** The retention of the streams that no rule matches. */
    public Retention defaultRetention() {
        return new Retention(maxMessages, maxBytes, maxAge);
    }

    /** The shortest {@code maxAge} of the default retention and every rule. */
    public Duration shortestMaxAge() {
        Duration shortest = maxAge;
        for (PatternRetention rule : rules) {
            if (rule.retention().maxAge().compareTo(shortest) < 0) {
                shortest = rule.retention().maxAge();
            }
        }
        return shortest;
    }

    public StreamSettings withMaxMessages(int value) {
        return new StreamSettings(value, maxBytes, maxAge, maxStreams, catchUpBatch, rules);
    }

    public StreamSettings withMaxBytes(long value) {
        return new StreamSettings(maxMessages, value, maxAge, maxStreams, catchUpBatch, rules);
    }

    public StreamSettings withMaxAge(Duration value) {
        return new StreamSettings(maxMessages, maxBytes, value, maxStreams, catchUpBatch, rules);
    }

    public StreamSettings withMaxStreams(int value) {
        return new StreamSettings(maxMessages, maxBytes, maxAge, value, catchUpBatch, rules);
    }

    public StreamSettings withCatchUpBatch(int value) {
        return new StreamSettings(maxMessages, maxBytes, maxAge, maxStreams, value, rules);
    }

    public StreamSettings withRules(List<PatternRetention> value) {
        return new StreamSettings(maxMessages, maxBytes, maxAge, maxStreams, catchUpBatch, value);
    }
}
