package io.courier.cli;

import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Checks of the queue commands' arguments, made before connecting so that bad input exits 2. Stateless. */
final class QueueArguments {
    static final int MAX_QUEUE_BYTES = 255;

    private QueueArguments() {
    }

    /** A queue name is 1 to 255 bytes of UTF-8. */
    static void checkQueue(CommandLine cmd, String option, String queue) {
        if (queue.isEmpty()) {
            throw new ParameterException(cmd, option + ": must not be empty");
        }
        int bytes = queue.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_QUEUE_BYTES) {
            throw new ParameterException(cmd, option + ": is " + bytes + " bytes of UTF-8, the most is "
                    + MAX_QUEUE_BYTES);
        }
    }

    /** A count option, when given, is at least 1 and at most {@code max}. */
    static void checkCount(CommandLine cmd, String option, Long value, long max) {
        if (value != null && (value < 1 || value > max)) {
            throw new ParameterException(cmd, option + ": must be 1 to " + max + ", got " + value);
        }
    }

    /** The reason alone: "enqueue to 'q' refused: queue full: ... (code 429)" reads "queue full: ...". */
    static String detail(String message) {
        return message.replaceFirst("^((enqueue to|consume from|list of queue|replay of queue|purge of queue) "
                + "'.*?' (failed|refused)( by the broker)?: )+", "").replaceFirst(" \\(code \\d+\\)$", "");
    }
}
