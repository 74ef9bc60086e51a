package io.courier.broker.security;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The access rules of a broker, by client key. With no rules, every key may do everything (the behaviour of a
 * broker without access control); once there is at least one rule, whatever no rule grants is denied. A key's
 * grants are those of its own rule plus those of the {@code *} rule. Immutable; any thread.
 */
public final class AccessRules {
    private static final AccessRules NONE = new AccessRules(List.of());

    private final Map<String, AccessRule> byKey;

    private AccessRules(List<AccessRule> rules) {
        Map<String, AccessRule> map = new TreeMap<>();
        for (AccessRule rule : rules) {
            map.put(rule.key(), rule);
        }
        this.byKey = map;
    }

    /** No rules: everything allowed. */
    public static AccessRules none() {
        return NONE;
    }

    /** These rules; a later rule for the same key replaces an earlier one. */
    public static AccessRules of(List<AccessRule> rules) {
        Objects.requireNonNull(rules, "rules");
        return rules.isEmpty() ? NONE : new AccessRules(rules);
    }

    /** True when rules exist, so that what they do not grant is denied. */
    public boolean active() {
        return !byKey.isEmpty();
    }

    /** The rules, sorted by key. */
    public List<AccessRule> rules() {
        return List.copyOf(byKey.values());
    }

    /** True when {@code key} may do {@code op} on {@code name}. */
    public boolean allows(String key, AccessOperation op, String name) {
        if (byKey.isEmpty()) {
            return true;
        }
        AccessRule own = byKey.get(key);
        if (own != null && own.allows(op, name)) {
            return true;
        }
        AccessRule every = byKey.get(AccessRule.EVERY_KEY);
        return every != null && every.allows(op, name);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccessRules that && byKey.equals(that.byKey);
    }

    @Override
    public int hashCode() {
        return byKey.hashCode();
    }

    @Override
    public String toString() {
        return "AccessRules" + byKey.values();
    }
}
