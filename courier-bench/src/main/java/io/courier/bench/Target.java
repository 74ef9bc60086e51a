package io.courier.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * One of the targets of docs/benchmarks.md and how a run fares against it: its name, the measured value, the limit
 * and whether it is met. Immutable; the static methods format lists of them the same way for every benchmark.
 */
public record Target(String name, double value, double limit, boolean met) {

    /** Met when {@code value} is at most {@code limit}. */
    public static Target atMost(String name, double value, double limit) {
        return new Target(name, value, limit, value <= limit);
    }

    /** Met when {@code value} is at least {@code limit}. */
    public static Target atLeast(String name, double value, double limit) {
        return new Target(name, value, limit, value >= limit);
    }

    /** Met when {@code value} is under {@code limit}. */
    public static Target below(String name, double value, double limit) {
        return new Target(name, value, limit, value < limit);
    }

    /** Met when {@code count} is 0: nothing lost. */
    public static Target none(String name, long count) {
        return new Target(name, count, 0, count == 0);
    }

    /**
     * One line per target, {@code   target NAME VALUE  met} (or {@code MISSED}), with the name and value laid out by
     * {@code columns}, a format like {@code %-32s %10.2f}.
     */
    public static String text(List<Target> targets, String columns) {
        StringBuilder out = new StringBuilder();
        for (Target t : targets) {
            out.append(String.format(Locale.ROOT, "  target " + columns + "  %s%n", t.name(), t.value(),
                    t.met() ? "met" : "MISSED"));
        }
        return out.toString();
    }

    /** Adds {@code "targets": [{"name", "value", "limit", "met"}, ...]} to {@code root}, values to {@code decimals}. */
    public static void json(ObjectNode root, List<Target> targets, int decimals) {
        ArrayNode array = root.putArray("targets");
        for (Target t : targets) {
            array.addObject().put("name", t.name()).put("value", Json.round(t.value(), decimals))
                    .put("limit", t.limit()).put("met", t.met());
        }
    }
}
