package io.courier.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.testkit.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the queue example of docs/client.md against a real broker, so the doc's code keeps working. */
@Timeout(30)
class QueueExampleIT {
    /** A line of the ITs' console log appender, as logback-test.xml formats it. */
    private static final Pattern LOG_LINE =
            Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) ");
    @TempDir
    Path data;

    @Test
    void shouldStoreAndDeliverTheOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (TestBroker broker = TestBroker.start(data)) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                QueueExample.main(new String[] {broker.endpoint()});
            } finally {
                System.setOut(original);
            }
        }

        // the console log appender writes to System.out too: keep only what the example printed
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(line -> !LOG_LINE.matcher(line).find()))
                .containsExactly("stored as seq 1", "got ship order 42");
    }
}
