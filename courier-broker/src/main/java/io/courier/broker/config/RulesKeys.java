package io.courier.broker.config;

import io.courier.broker.security.AccessOperation;
import io.courier.broker.security.AccessRule;
import io.courier.broker.security.AccessRules;
import io.courier.core.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The access-control keys {@code security.rules.<key>.<operation>}: a client key (a certificate name, which may
 * hold dots, {@code anonymous}, or {@code *}), then one of {@code call}, {@code serve}, {@code publish},
 * {@code subscribe}, {@code produce}, {@code consume}, {@code admin}; the value is comma-separated patterns (or a
 * YAML list), or {@code none}. From the file and overrides only, never the environment. Stateless, any thread.
 */
final class RulesKeys {
    /** The section holding the rules. */
    static final String SECTION = "security.rules";
    /** How docs/configuration.md names the rule keys, in one row. */
    static final String DOC_KEY = SECTION + ".<key>.*";
    private static final String PREFIX = SECTION + ".";
    private static final String NONE = "none";

    private RulesKeys() {
    }

    /** One rule key taken apart: {@code security.rules.svc.billing.serve} is {@code svc.billing} and serve. */
    record RuleKey(String client, AccessOperation operation) {
    }

    /** True for every key under {@code security.rules.}, valid or not. */
    static boolean isRule(String key) {
        return key.startsWith(PREFIX);
    }

    /** The client key and operation of a well-formed rule key; empty for anything else. */
    static Optional<RuleKey> parse(String key) {
        if (!isRule(key)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int dot = rest.lastIndexOf('.');
        AccessOperation op = dot < 1 ? null : AccessOperation.of(rest.substring(dot + 1));
        return op == null ? Optional.empty() : Optional.of(new RuleKey(rest.substring(0, dot), op));
    }

    /** Why {@code key}, under {@code security.rules.} in {@code shown}, is not a rule key. */
    static ConfigException notARuleKey(String key, String text, String shown) {
        String rest = key.substring(PREFIX.length());
        String ops = Arrays.stream(AccessOperation.values()).map(AccessOperation::key)
                .collect(Collectors.joining(", "));
        if (text.isEmpty() && !rest.contains(".")) {
            return new ConfigException(key + ": a rule in " + shown + " needs at least one of " + ops
                    + " (use none to grant nothing)");
        }
        String client = rest.contains(".") ? rest.substring(0, rest.lastIndexOf('.')) : rest;
        List<String> near = Arrays.stream(AccessOperation.values()).map(op -> PREFIX + client + "." + op.key())
                .toList();
        String hint = Suggestions.closest(key, near).map(name -> " (did you mean " + name + "?)").orElse("");
        return new ConfigException("unknown key '" + key + "' in " + shown + ": under " + SECTION + ", each key "
                + "takes " + ops + ", as in alice: {call: \"billing, orders.*\"}" + hint);
    }

    /** The rules of {@code texts} (rule key to text, in order); none: no rules. */
    static AccessRules rules(Map<String, String> texts) {
        Map<String, Map<AccessOperation, List<String>>> byClient = new LinkedHashMap<>();
        texts.forEach((key, text) -> parse(key).ifPresent(rule -> byClient
                .computeIfAbsent(rule.client(), client -> new EnumMap<>(AccessOperation.class))
                .put(rule.operation(), patterns(key, text))));
        List<AccessRule> rules = new ArrayList<>();
        byClient.forEach((client, grants) -> rules.add(new AccessRule(client, grants)));
        return AccessRules.of(rules);
    }

    /** Adds every operation of every rule of {@code config}, as the loader reads them ({@code none} if empty). */
    static void describe(BrokerConfig config, Map<String, String> into) {
        for (AccessRule rule : config.security().rules().rules()) {
            for (AccessOperation op : AccessOperation.values()) {
                List<String> patterns = rule.grants().getOrDefault(op, List.of());
                into.put(rule.configKey(op), patterns.isEmpty() ? NONE : String.join(",", patterns));
            }
        }
    }

    private static List<String> patterns(String key, String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new ConfigException(key + ": empty value (give names or prefixes ending in *, comma-separated, "
                    + "or none)");
        }
        if (value.equalsIgnoreCase(NONE)) {
            return List.of();
        }
        List<String> patterns = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String pattern = part.strip();
            if (pattern.isEmpty() || pattern.equalsIgnoreCase(NONE)) {
                throw new ConfigException(key + ": " + (pattern.isEmpty() ? "empty entry" : "'none' mixed with "
                        + "patterns") + " in '" + value + "' (comma-separated names or prefixes ending in *, or "
                        + "none alone)");
            }
            patterns.add(pattern);
        }
        return patterns;
    }
}
