package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DemoCommandTest {

    @Test
    void shouldNarrateTheDemoAndExitZero() {
        Cli.Result result = Cli.run("demo", "--requests", "600");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("1. broker bound frontend tcp://127.0.0.1:")
                .contains("workers demo-a and demo-b registered")
                .containsPattern("reply \"hello\" received in [\\d.]+ [mu]s from demo-[ab]")
                .containsPattern("median round trip [\\d.]+ [mu]s for the first 100 .*, [\\d.]+ [mu]s for the last 100")
                .contains("took over")
                .contains("UNKNOWN_SERVICE");
    }

    @Test
    void shouldRefuseTooFewRequestsAsAUsageError() {
        Cli.Result result = Cli.run("demo", "--requests", "5");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--requests must be 6 to 1000000, got 5");
    }
}
