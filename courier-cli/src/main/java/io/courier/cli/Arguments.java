package io.courier.cli;

import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks of the commands' arguments (queue and topic names, counts), made before connecting so that bad input
 * exits 2 naming the option. Stateless.
 */
final class Arguments {
    static final int MAX_NAME_BYTES = 255;

    private Arguments() {
    }

    /** A queue name or a topic is 1 to 255 bytes of UTF-8. */
    static void checkName(CommandLine cmd, String option, String name) {
        if (name.isEmpty()) {
            throw new ParameterException(cmd, option + ": must not be empty");
        }
        checkBytes(cmd, option, name);
    }

    /** A name or a prefix of names is at most 255 bytes of UTF-8. */
    static void checkBytes(CommandLine cmd, String option, String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new ParameterException(cmd, option + ": is " + bytes + " bytes of UTF-8, the most is "
                    + MAX_NAME_BYTES);
        }
    }

    /** A count option, when given, is at least 1 and at most {@code max}. */
    static void checkCount(CommandLine cmd, String option, Long value, long max) {
        if (value != null && (value < 1 || value > max)) {
            throw new ParameterException(cmd, option + ": must be 1 to " + max + ", got " + value);
        }
    }
}
