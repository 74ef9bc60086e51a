package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage, help and version: no broker needed. */
@Timeout(10)
class CourierTest {

    @Test
    void shouldReportUnknownOptionOnOneLineWithExitTwo() {
        Cli.Result result = Cli.run("request", "--service", "echo", "--nope", "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("courier: ").contains("--nope").contains("courier request --help")
                .hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldNameTheOptionAndTheValueOfABadDuration() {
        Cli.Result result = Cli.run("request", "--service", "echo", "--timeout", "soon", "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--timeout").contains("'soon'").contains("500ms").hasLineCount(1);
    }

    @Test
    void shouldRejectABadEndpointOnOneLine() {
        Cli.Result result = Cli.run("status", "--broker", "http://localhost:5555");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--broker").contains("http://localhost:5555").hasLineCount(1);
    }

    @Test
    void shouldRequireABodyOrDash() {
        Cli.Result result = Cli.run("request", "--service", "echo");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("BODY").hasLineCount(1);
    }

    @Test
    void shouldRejectNegativeRetries() {
        Cli.Result result = Cli.run("request", "--service", "echo", "--retries", "-1", "x");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("--retries").hasLineCount(1);
    }

    @Test
    void shouldRequireExactlyOneWorkerMode() {
        Cli.Result none = Cli.run("worker", "--service", "echo");
        Cli.Result both = Cli.run("worker", "--service", "echo", "--echo", "--exec", "cat");

        assertThat(none.exitCode()).as(none.toString()).isEqualTo(2);
        assertThat(none.err()).contains("--echo").contains("--exec").hasLineCount(1);
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(2);
        assertThat(both.err()).hasLineCount(1);
    }

    @Test
    void shouldShowUsageAndExitTwoWithoutACommand() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("broker").contains("worker").contains("request").contains("status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"broker", "worker", "request", "status", "demo"})
    void shouldEndEveryCommandsHelpWithAnExample(String command) {
        Cli.Result result = Cli.run(command, "--help");

        assertThat(result.exitCode()).isZero();
        String out = result.out().strip();
        assertThat(out).contains("Example");
        assertThat(out.substring(out.lastIndexOf('\n') + 1)).contains("courier " + command);
    }

    @Test
    void shouldEndTheTopLevelHelpWithAnExample() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Exit codes").contains("Example")
                .contains("bench").contains("demo");
    }

    @Test
    void shouldPrintTheVersion() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("courier ").contains("Java 17");
    }
}
