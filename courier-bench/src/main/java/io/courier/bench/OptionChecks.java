package io.courier.bench;

import io.courier.core.ConfigException;
import io.courier.core.Durations;
import io.courier.protocol.Endpoints;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The option checks every bench command shares, each naming the option at fault: those of the settings records
 * (an {@link IllegalArgumentException}), and those of the commands themselves, which turn into usage errors
 * (exit 2): {@code --timeout}, {@code --broker}, an option that does not go with a mode, and settings that fail
 * their checks. Stateless.
 */
public final class OptionChecks {
    /** The largest body, in bytes. */
    public static final int MAX_SIZE = 1024 * 1024;

    private OptionChecks() {
    }

    /** {@code --size}: 0 to {@link #MAX_SIZE} bytes. */
    public static void size(int size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("--size must be 0 to " + MAX_SIZE + " bytes, got " + size);
        }
    }

    /** {@code --count}: at least one message or round trip measured. */
    public static void count(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
    }

    /** {@code --warmup}: none or more. */
    public static void warmup(int warmup) {
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
    }

    /** {@code --timeout}: more than zero. */
    public static void timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
    }

    /** {@code option} is {@code min} to {@code max}. */
    public static void range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + " to " + max + ", got " + value);
        }
    }

    /** {@code --timeout} as a duration, once {@code --broker}, when given, is an endpoint; else a usage error. */
    public static Duration deadline(CommandLine cmd, String timeout, String broker) {
        try {
            Duration deadline = Durations.parse(timeout);
            if (broker != null) {
                Endpoints.check("--broker", broker);
            }
            return deadline;
        } catch (ConfigException e) {
            throw new ParameterException(cmd, e.getMessage(), e);
        }
    }

    /**
     * A usage error when {@code given}: {@code option} applies to the run through {@code path} only, so it cannot be
     * used with {@code mode}, which measures another.
     */
    public static void onlyThrough(CommandLine cmd, boolean given, String option, String path, String mode) {
        if (given) {
            throw new ParameterException(cmd, option + " applies to the run through " + path
                    + "; it cannot be used with " + mode);
        }
    }

    /** The settings {@code build} makes, or a usage error saying which check they failed. */
    public static <T> T settings(CommandLine cmd, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage(), e);
        }
    }
}
