package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DemoCommandTest {

    @Test
    void shouldNarrateTheDemoAndExitZero() {
        Cli.Result result = Cli.run("demo");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("1. broker bound frontend tcp://127.0.0.1:")
                .contains("workers demo-a and demo-b registered")
                .containsPattern("reply \"hello\" received in [\\d.]+ [mu]s from demo-[ab]")
                .contains("took over")
                .contains("UNKNOWN_SERVICE");
    }
}
