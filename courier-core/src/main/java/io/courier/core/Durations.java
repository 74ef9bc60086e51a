package io.courier.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the durations users type: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /** Parses a duration, or throws {@link ConfigException} naming the value and the expected form. */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException("invalid duration '" + text
                    + "': expected a number and a unit, like 500ms, 2s, 1m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest exact form: {@code 1500ms}, {@code 2s}, {@code 5m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0 && ms > 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
