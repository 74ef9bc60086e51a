package io.courier.broker.security;

import io.courier.core.ConfigException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one client key may do: for each operation, the names it may use. A pattern is a name, or a prefix and a
 * final {@code *} ({@code billing.*}); {@code *} alone matches every name. For topics ({@code publish},
 * {@code subscribe}) every pattern is a prefix, with or without the {@code *}: {@code prices} grants
 * {@code prices.eur} too, as a subscription to {@code prices} would receive it. Immutable; validated on
 * construction with errors naming the key ({@code security.rules.<key>.<operation>}).
 *
 * @param key    the client key: a certificate name, {@code anonymous} (peers without CURVE), or {@code *} (every
 *               key, in addition to its own rule)
 * @param grants operation to patterns; an operation left out grants nothing
 */
public record AccessRule(String key, Map<AccessOperation, List<String>> grants) {
    /** The key of peers that did not authenticate with CURVE. */
    public static final String ANONYMOUS = "anonymous";
    /** The key whose rule applies to every key. */
    public static final String EVERY_KEY = "*";

    public AccessRule {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(grants, "grants");
        if (key.isBlank()) {
            throw new ConfigException("security.rules: a rule has an empty key (give a certificate name, "
                    + ANONYMOUS + " or *)");
        }
        Map<AccessOperation, List<String>> copy = new EnumMap<>(AccessOperation.class);
        grants.forEach((op, patterns) -> {
            for (String pattern : patterns) {
                check(key, op, pattern);
            }
            if (!patterns.isEmpty()) {
                copy.put(op, List.copyOf(patterns));   // none and left out are the same: nothing granted
            }
        });
        grants = Map.copyOf(copy);
    }

    /** The config key of one operation of this rule: {@code security.rules.alice.call}. */
    public String configKey(AccessOperation op) {
        return "security.rules." + key + "." + op.key();
    }

    /** True when this rule lets its key do {@code op} on {@code name}. */
    public boolean allows(AccessOperation op, String name) {
        for (String pattern : grants.getOrDefault(op, List.of())) {
            if (matches(op, pattern, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(AccessOperation op, String pattern, String name) {
        if (pattern.endsWith("*")) {
            return name.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return op.prefixOnly() ? name.startsWith(pattern) : name.equals(pattern);
    }

    private static void check(String ruleKey, AccessOperation op, String pattern) {
        String where = "security.rules." + ruleKey + "." + op.key();
        int star = pattern.indexOf('*');
        if (pattern.isBlank()) {
            throw new ConfigException(where + ": empty pattern (give names or prefixes ending in *, "
                    + "comma-separated, or none)");
        }
        if (star >= 0 && star != pattern.length() - 1) {
            throw new ConfigException(where + ": bad pattern '" + pattern + "' (a name, or a prefix and a final *, "
                    + "as in billing.*)");
        }
        if (!pattern.equals(pattern.strip())) {
            throw new ConfigException(where + ": pattern '" + pattern + "' has spaces around it");
        }
    }
}
