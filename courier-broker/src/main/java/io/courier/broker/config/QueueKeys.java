package io.courier.broker.config;

import io.courier.broker.queue.ExpiredPolicy;
import io.courier.broker.queue.QueueSettings;
import io.courier.core.ConfigException;
import io.courier.core.Durations;
import io.courier.store.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The keys of the store and of durable queues: {@code store.*} and {@code queues.defaults.*} (single values, also
 * from the environment), and {@code queues.<name>.<setting>} (a queue name, which may hold dots, then one of the
 * settings; from the file and overrides only). Every error names the key. Stateless, any thread.
 */
final class QueueKeys {
    /** The section holding the queues. */
    static final String SECTION = "queues";
    /** How docs/configuration.md names the per-queue keys, in one row. */
    static final String DOC_KEY = SECTION + ".<name>.*";
    /** What a queue may set, in document order. */
    static final List<String> SETTINGS = List.of("maxMessages", "maxBytes", "ackTimeout", "maxDeliver", "ttl",
            "expiredPolicy", "dedupWindow", "dedupMaxIds", "deadLetterQueue");
    /** The text of {@code deadLetterQueue} that means "the queue's name plus .dlq". */
    static final String OWN_DLQ = "<name>" + QueueSettings.DLQ_SUFFIX;

    private static final String PREFIX = SECTION + ".";
    private static final String DEFAULTS = PREFIX + QueuesConfig.DEFAULTS + ".";
    private static final long MAX_BYTES = 1L << 40;

    private QueueKeys() {
    }

    /** One per-queue key taken apart: {@code queues.orders.eu.maxDeliver} is {@code orders.eu} and maxDeliver. */
    record QueueKey(String queue, String setting) {
    }

    /** Adds the single-value keys, in document order, with how to print each. */
    static void addKeys(Map<String, Function<BrokerConfig, String>> keys) {
        keys.put("store.syncPolicy", c -> c.store().syncPolicy().name().toLowerCase(Locale.ROOT));
        keys.put("store.syncInterval", c -> Durations.format(c.store().syncInterval()));
        keys.put("store.mailboxCapacity", c -> Integer.toString(c.store().mailboxCapacity()));
        keys.put("store.maxBatchWrites", c -> Integer.toString(c.store().maxBatchWrites()));
        for (String setting : SETTINGS) {
            keys.put(DEFAULTS + setting, c -> print(c.queues().defaults(), setting));
        }
    }

    /** True for every key under {@code queues.} that is not a single-value key: a per-queue key, valid or not. */
    static boolean isQueue(String key) {
        return key.startsWith(PREFIX) && !key.startsWith(DEFAULTS);
    }

    /** The queue and setting of a well-formed per-queue key; empty for anything else. */
    static Optional<QueueKey> parse(String key) {
        if (!isQueue(key)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot < 1 || !SETTINGS.contains(rest.substring(dot + 1))) {
            return Optional.empty();
        }
        return Optional.of(new QueueKey(rest.substring(0, dot), rest.substring(dot + 1)));
    }

    /** Why {@code key}, under {@code queues.} in {@code shown}, is not a queue key. */
    static ConfigException notAQueueKey(String key, String text, String shown) {
        String rest = key.substring(PREFIX.length());
        String queue = rest.contains(".") ? rest.substring(0, rest.lastIndexOf('.')) : rest;
        if (text.isEmpty() && !rest.contains(".")) {
            return new ConfigException(key + ": a queue in " + shown + " needs at least one of "
                    + String.join(", ", SETTINGS));
        }
        List<String> near = SETTINGS.stream().map(setting -> PREFIX + queue + "." + setting).toList();
        String hint = Suggestions.closest(key, near).map(name -> " (did you mean " + name + "?)").orElse("");
        return new ConfigException("unknown key '" + key + "' in " + shown + ": under " + SECTION
                + ", each queue takes " + String.join(", ", SETTINGS) + ", as in orders: {maxDeliver: 5}" + hint);
    }

    static StoreConfig store(Map<String, String> values, StoreConfig d) {
        return new StoreConfig(
                value(values, "store.syncPolicy", QueueKeys::syncPolicy, d.syncPolicy()),
                value(values, "store.syncInterval", ConfigValues::duration, d.syncInterval()),
                value(values, "store.mailboxCapacity", ConfigValues::integer, d.mailboxCapacity()),
                value(values, "store.maxBatchWrites", ConfigValues::integer, d.maxBatchWrites()));
    }

    /** The defaults from {@code queues.defaults.*}, then each named queue from its texts over those defaults. */
    static QueuesConfig queues(Map<String, String> values, Map<String, Map<String, String>> named,
                               QueueSettings fallback) {
        QueueSettings defaults = settings(DEFAULTS, values, fallback);
        Map<String, QueueSettings> queues = new TreeMap<>();
        named.forEach((queue, texts) -> queues.put(queue, settings(PREFIX + queue + ".", texts, defaults)));
        return new QueuesConfig(defaults, queues);
    }

    /** Adds the keys of every named queue of {@code config}, all settings, as the loader reads them. */
    static void describe(BrokerConfig config, Map<String, String> into) {
        config.queues().queues().forEach((queue, settings) -> {
            for (String setting : SETTINGS) {
                into.put(PREFIX + queue + "." + setting, print(settings, setting));
            }
        });
    }

    private static QueueSettings settings(String prefix, Map<String, String> texts, QueueSettings d) {
        int maxMessages = value(texts, prefix + "maxMessages", ConfigValues::integer, d.maxMessages());
        atLeast(prefix + "maxMessages", maxMessages, 1);
        long maxBytes = value(texts, prefix + "maxBytes", (k, t) -> ConfigValues.size(k, t, MAX_BYTES), d.maxBytes());
        atLeast(prefix + "maxBytes", maxBytes, 1);
        Duration ackTimeout = value(texts, prefix + "ackTimeout", ConfigValues::duration, d.ackTimeout());
        if (ackTimeout.toMillis() < 1) {
            throw new ConfigException(prefix + "ackTimeout: must be at least 1ms, got "
                    + Durations.format(ackTimeout));
        }
        int maxDeliver = value(texts, prefix + "maxDeliver", ConfigValues::integer, d.maxDeliver());
        atLeast(prefix + "maxDeliver", maxDeliver, 1);
        Duration ttl = value(texts, prefix + "ttl", ConfigValues::duration, d.ttl());
        ExpiredPolicy expired = value(texts, prefix + "expiredPolicy", QueueKeys::expiredPolicy,
                d.expiredPolicy());
        Duration dedupWindow = value(texts, prefix + "dedupWindow", ConfigValues::duration, d.dedupWindow());
        int dedupMaxIds = value(texts, prefix + "dedupMaxIds", ConfigValues::integer, d.dedupMaxIds());
        if (dedupMaxIds < 1 || dedupMaxIds > QueueSettings.MAX_DEDUP_IDS) {
            throw new ConfigException(prefix + "dedupMaxIds: must be 1 to " + QueueSettings.MAX_DEDUP_IDS
                    + " (about 16 GB of heap), got " + dedupMaxIds);
        }
        String dlq = value(texts, prefix + "deadLetterQueue", QueueKeys::deadLetterQueue, d.deadLetterQueue());
        for (Map.Entry<String, Duration> e : Map.of("ackTimeout", ackTimeout, "ttl", ttl, "dedupWindow",
                dedupWindow).entrySet()) {
            if (e.getValue().compareTo(BrokerConfig.MAX_DURATION) > 0) {
                throw new ConfigException(prefix + e.getKey() + ": must be at most "
                        + Durations.format(BrokerConfig.MAX_DURATION) + ", got " + Durations.format(e.getValue()));
            }
        }
        return new QueueSettings(maxMessages, maxBytes, ackTimeout, maxDeliver, ttl, expired, dedupWindow,
                dedupMaxIds, dlq);
    }

    private static String print(QueueSettings s, String setting) {
        return switch (setting) {
            case "maxMessages" -> Integer.toString(s.maxMessages());
            case "maxBytes" -> ConfigValues.formatSize(s.maxBytes());
            case "ackTimeout" -> Durations.format(s.ackTimeout());
            case "maxDeliver" -> Integer.toString(s.maxDeliver());
            case "ttl" -> Durations.format(s.ttl());
            case "expiredPolicy" -> s.expiredPolicy() == ExpiredPolicy.DROP ? "drop" : "deadLetter";
            case "dedupWindow" -> Durations.format(s.dedupWindow());
            case "dedupMaxIds" -> Integer.toString(s.dedupMaxIds());
            default -> s.deadLetterQueue().isEmpty() ? OWN_DLQ : s.deadLetterQueue();
        };
    }

    private static SyncPolicy syncPolicy(String key, String text) {
        for (SyncPolicy policy : SyncPolicy.values()) {
            if (policy.name().equalsIgnoreCase(text)) {
                return policy;
            }
        }
        throw new ConfigException(key + ": must be one of always, interval, never, got '" + text + "'");
    }

    private static ExpiredPolicy expiredPolicy(String key, String text) {
        if (text.equalsIgnoreCase("deadLetter")) {
            return ExpiredPolicy.DEAD_LETTER;
        }
        if (text.equalsIgnoreCase("drop")) {
            return ExpiredPolicy.DROP;
        }
        throw new ConfigException(key + ": must be one of deadLetter, drop, got '" + text + "'");
    }

    private static String deadLetterQueue(String key, String text) {
        if (text.equals(OWN_DLQ)) {
            return "";
        }
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new ConfigException(key + ": a queue name without spaces or control characters, or " + OWN_DLQ
                    + ", got '" + text + "'");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > QueueSettings.MAX_NAME_BYTES) {
            throw new ConfigException(key + ": a queue name must be 1 to " + QueueSettings.MAX_NAME_BYTES
                    + " bytes of UTF-8, got " + bytes + " bytes");
        }
        return text;
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new ConfigException(key + ": must be >= " + min + ", got " + value);
        }
    }

    private static <T> T value(Map<String, String> values, String key,
                               BiFunction<String, String, T> parse, T fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new ConfigException(key + ": empty value (give one, or leave it out for the default)");
        }
        return parse.apply(key, trimmed);
    }
}
