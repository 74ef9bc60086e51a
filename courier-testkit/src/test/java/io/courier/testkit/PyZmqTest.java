package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PyZmqTest {

    @Test
    void shouldRunScriptFromClasspathAndReportExitCodeAndOutput() {
        PyZmq.assumeAvailable();

        try (PyProcess script = PyZmq.run("pyzmq/exit_with.py", "3")) {
            assertThat(script.awaitExit(Duration.ofSeconds(10))).isEqualTo(3);
            assertThat(script.output()).startsWith("libzmq ");
        }
    }

    @Test
    void shouldRejectMissingScript() {
        PyZmq.assumeAvailable();

        assertThat(catchThrowable(() -> PyZmq.run("pyzmq/no_such_script.py")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_script.py");
    }
}
