package io.courier.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The limits of the commands that print what the broker sends (consume, subscribe): {@code --count}, after which
 * they exit 0, and {@code --timeout}, after which they exit 3. Each command checks {@code --count} its own way.
 */
final class ReceiveLimits {
    @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N messages.")
    private Long count;

    @Option(names = "--timeout", paramLabel = "DUR", converter = Conversions.DurationConverter.class,
            description = "Exit 3 after DUR, like 500ms, 2s, 1m: with --count, when N messages did not all arrive "
                    + "within DUR in total; without it, when no message came for DUR. Default: wait forever.")
    private Duration timeout;

    /** The messages to wait for, or null for no limit. */
    Long count() {
        return count;
    }

    /** How long to wait, or null for no limit. */
    Duration timeout() {
        return timeout;
    }

    /** True once {@code received} messages are all that {@code --count} asked for. */
    boolean reached(long received) {
        return count != null && received >= count;
    }
}
