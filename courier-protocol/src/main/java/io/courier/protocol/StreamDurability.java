package io.courier.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which streams a broker keeps in its store, as WELCOME's {@value #PROPERTY} property tells its clients: the
 * broker's retention rules in order, one per line, {@code +pattern} for a durable rule and {@code -pattern} for
 * one in memory; the first rule whose pattern matches a topic decides (a pattern is a stream name, or a prefix and
 * a final {@code *}). A client keeps the numbering of durable streams across a broker restart and resumes them;
 * every other stream restarts from 1. Immutable; thread-safe.
 */
public final class StreamDurability {
    /** The WELCOME property. */
    public static final String PROPERTY = "durable-streams";
    /** No stream is durable: what a broker without the property (or without durable rules) means. */
    public static final StreamDurability NONE = new StreamDurability(List.of());

    private final List<Rule> rules;

    private record Rule(String pattern, boolean durable) {
        boolean matches(String topic) {
            return pattern.endsWith("*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
                    : topic.equals(pattern);
        }
    }

    private StreamDurability(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** From the broker's rules, pattern to durable, in the order they are tried. */
    public static StreamDurability of(List<Map.Entry<String, Boolean>> rules) {
        List<Rule> list = new ArrayList<>(rules.size());
        rules.forEach(r -> list.add(new Rule(r.getKey(), r.getValue())));
        return new StreamDurability(list);
    }

    /** From the property's value; null or malformed lines mean fewer rules, never an error. */
    public static StreamDurability parse(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        List<Rule> list = new ArrayList<>();
        for (String line : value.split("\n", -1)) {
            if (line.length() >= 2 && (line.charAt(0) == '+' || line.charAt(0) == '-')) {
                list.add(new Rule(line.substring(1), line.charAt(0) == '+'));
            }
        }
        return new StreamDurability(list);
    }

    /** True when some rule is durable: only then does the broker send the property. */
    public boolean any() {
        return rules.stream().anyMatch(Rule::durable);
    }

    /** True when the first rule that matches {@code topic} is durable. */
    public boolean isDurable(String topic) {
        for (Rule rule : rules) {
            if (rule.matches(topic)) {
                return rule.durable();
            }
        }
        return false;
    }

    /** The property's value. */
    public String encode() {
        StringBuilder out = new StringBuilder();
        for (Rule rule : rules) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(rule.durable() ? '+' : '-').append(rule.pattern());
        }
        return out.toString();
    }
}
