package io.courier.broker.stream;

import java.util.Objects;

/**
 * The retention of the streams whose name matches {@code pattern}: an exact stream name, or a prefix followed by
 * one {@code *} ({@code prices.*} matches {@code prices.eur} and {@code prices.eur.spot}; {@code *} alone matches
 * every stream). The stream core's form of a configured {@code streams.retention} rule (a
 * {@code BrokerConfig.RetentionRule}, which {@link StreamSettings#from} converts). Immutable; validated on
 * construction.
 */
public record PatternRetention(String pattern, Retention retention) {
    public PatternRetention {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(retention, "retention");
        int star = pattern.indexOf('*');
        if (pattern.isEmpty() || (star >= 0 && star != pattern.length() - 1)) {
            throw new IllegalArgumentException("pattern must be a stream name, or a prefix and a final '*'"
                    + " [pattern=" + pattern + "]");
        }
    }

    /** True when stream {@code topic} is one this rule is for. */
    public boolean matches(String topic) {
        return pattern.endsWith("*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
                : topic.equals(pattern);
    }
}
