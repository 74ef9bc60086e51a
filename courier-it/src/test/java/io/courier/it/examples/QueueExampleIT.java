package io.courier.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.testkit.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the queue example of docs/client.md against a real broker, so the doc's code keeps working. */
@Timeout(30)
class QueueExampleIT {
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

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("stored as seq 1",
                "got ship order 42");
    }
}
