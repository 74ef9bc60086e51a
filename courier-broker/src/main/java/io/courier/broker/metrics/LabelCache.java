package io.courier.broker.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches the per-label-value state of one label ({@code service}, {@code reason}, ...) for up to {@code cap} distinct
 * values; every later value shares the {@value #OTHER} entry. Not thread-safe: confined to the broker loop thread.
 */
final class LabelCache<T> {
    /** The label value reported for every value past the cap. */
    static final String OTHER = "_other";

    private static final Logger LOG = LoggerFactory.getLogger(LabelCache.class);

    private final String label;
    private final int cap;
    private final Function<String, T> create;
    private final Map<String, T> byValue = new HashMap<>();
    private T other;

    LabelCache(String label, int cap, Function<String, T> create) {
        this.label = label;
        this.cap = cap;
        this.create = create;
    }

    /** The entry for {@code value}, created on first use; the {@value #OTHER} entry once the cap is reached. */
    T get(String value) {
        T cached = byValue.get(value);
        if (cached != null) {
            return cached;
        }
        if (byValue.size() >= cap) {
            return other();
        }
        T created = create.apply(value);
        byValue.put(value, created);
        return created;
    }

    /** True when {@code entry} is the shared {@value #OTHER} entry. */
    boolean isOther(T entry) {
        return entry == other;
    }

    /** How many distinct values have an entry of their own. */
    int size() {
        return byValue.size();
    }

    private T other() {
        if (other == null) {
            LOG.warn("metrics label cap reached label={} cap={}; further values are reported as {}",
                label, cap, OTHER);
            other = create.apply(OTHER);
        }
        return other;
    }
}
