package io.courier.broker.config;

import io.courier.core.ConfigException;
import io.courier.core.Durations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of one setting into its type; every error names the key and says what is accepted. Stateless,
 * any thread.
 */
final class ConfigValues {
    static final long KIB = 1024;
    static final long MIB = KIB * 1024;
    static final long GIB = MIB * 1024;

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(KiB|MiB|GiB)?");

    private ConfigValues() {
    }

    /** A duration such as {@code 500ms}, {@code 2s}, {@code 1m} or {@code 1h}. */
    static Duration duration(String key, String text) {
        try {
            return Durations.parse(text);
        } catch (ConfigException e) {
            throw new ConfigException(key + ": not a duration: '" + text + "' (use 500ms, 2s, 1m)", e);
        }
    }

    /** {@code true} or {@code false}, in any case. */
    static boolean bool(String key, String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key + ": expected true or false, got '" + text + "'");
    }

    /** A plain decimal integer that fits in an {@code int}. */
    static int integer(String key, String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new ConfigException(key + ": not an integer: '" + text + "'");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": out of range: '" + text + "' (at most " + Integer.MAX_VALUE + ")", e);
        }
    }

    /**
     * A byte count: a plain integer, or an integer with a binary unit {@code KiB}, {@code MiB} or {@code GiB}.
     * Decimal units ({@code KB}, {@code MB}) are rejected because readers disagree on whether they mean 1000 or
     * 1024.
     */
    static int size(String key, String text) {
        return (int) size(key, text, Integer.MAX_VALUE);
    }

    /** A byte count, as {@link #size(String, String)}, of at most {@code max} bytes ({@code max} < 2^63 - 1). */
    static long size(String key, String text, long max) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(key + ": not a size: '" + text + "' (use a number of bytes, or KiB, MiB, GiB"
                    + " as in 64KiB, 16MiB; KB and MB are not accepted)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2)));
        } catch (NumberFormatException | ArithmeticException e) {
            bytes = Long.MAX_VALUE; // more digits than a long holds: too large, reported below
        }
        if (bytes > max) {
            throw new ConfigException(key + ": too large: '" + text + "' (at most " + max + " bytes)");
        }
        return bytes;
    }

    /** A file system path; must not be blank. */
    static Path path(String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(key + ": not a valid path: '" + text + "' (" + e.getReason() + ")", e);
        }
    }

    /** The shortest exact form of a byte count: {@code 16MiB}, {@code 1500}. */
    static String formatSize(long bytes) {
        if (bytes > 0 && bytes % GIB == 0) {
            return bytes / GIB + "GiB";
        }
        if (bytes > 0 && bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        if (bytes > 0 && bytes % KIB == 0) {
            return bytes / KIB + "KiB";
        }
        return Long.toString(bytes);
    }

    private static long unit(String suffix) {
        if (suffix == null) {
            return 1;
        }
        return switch (suffix) {
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            default -> GIB;
        };
    }
}
