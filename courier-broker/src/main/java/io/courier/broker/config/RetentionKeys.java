package io.courier.broker.config;

import io.courier.core.ConfigException;
import io.courier.core.Durations;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of the retention rules, {@code streams.retention.<pattern>.<setting>}: a stream-name pattern (which may
 * hold dots) between a fixed prefix and one of four settings. They come from the file (or overrides) only, since
 * an environment variable name cannot hold a pattern. Stateless, any thread.
 */
final class RetentionKeys {
    /** The section that holds the rules. */
    static final String SECTION = "streams.retention";
    /** How docs/configuration.md names the rule keys, in one row. */
    static final String DOC_KEY = SECTION + ".<pattern>.*";
    /** What a rule may set, in document order; what it leaves out is taken from {@code streams.<setting>}. */
    static final List<String> SETTINGS = List.of("maxMessages", "maxBytes", "maxAge", "durable");

    private static final String PREFIX = SECTION + ".";

    private RetentionKeys() {
    }

    /** One rule key taken apart: {@code streams.retention.prices.*.maxAge} is {@code prices.*} and {@code maxAge}. */
    record RuleKey(String pattern, String setting) {
    }

    /** True for the section itself and every key under it, valid or not. */
    static boolean isRetention(String key) {
        return key.equals(SECTION) || key.startsWith(PREFIX);
    }

    /** The pattern and setting of a well-formed rule key; empty for anything else. */
    static Optional<RuleKey> parse(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot < 0 || !SETTINGS.contains(rest.substring(dot + 1))) {
            return Optional.empty();
        }
        return Optional.of(new RuleKey(rest.substring(0, dot), rest.substring(dot + 1)));
    }

    static String key(String pattern, String setting) {
        return PREFIX + pattern + "." + setting;
    }

    /** Why a key under {@code streams.retention} in the file {@code shown} is not a rule key. */
    static ConfigException notARuleKey(String key, String text, String shown) {
        if (key.equals(SECTION)) {
            return new ConfigException(SECTION + ": is a section in " + shown + "; give its rules under it, as in"
                    + " \"prices.*\": {maxAge: 24h}");
        }
        if (text.isEmpty()) {
            return new ConfigException(key + ": a retention rule in " + shown + " needs at least one of "
                    + String.join(", ", SETTINGS));
        }
        String rest = key.substring(PREFIX.length());
        String pattern = rest.contains(".") ? rest.substring(0, rest.lastIndexOf('.')) : rest;
        List<String> near = SETTINGS.stream().map(setting -> key(pattern, setting)).toList();
        String hint = Suggestions.closest(key, near).map(name -> " (did you mean " + name + "?)").orElse("");
        return new ConfigException("unknown key '" + key + "' in " + shown + ": under " + SECTION
                + ", each stream-name pattern takes " + String.join(", ", SETTINGS)
                + ", as in \"prices.*\": {maxAge: 24h}" + hint);
    }

    /** Adds the keys of every rule of {@code config}, in rule order, with values as the loader reads them. */
    static void describe(BrokerConfig config, Map<String, String> into) {
        for (BrokerConfig.RetentionRule rule : config.streams().retention()) {
            into.put(key(rule.pattern(), "maxMessages"), Integer.toString(rule.maxMessages()));
            into.put(key(rule.pattern(), "maxBytes"), ConfigValues.formatSize(rule.maxBytes()));
            into.put(key(rule.pattern(), "maxAge"), Durations.format(rule.maxAge()));
            into.put(key(rule.pattern(), "durable"), Boolean.toString(rule.durable()));
        }
    }
}
