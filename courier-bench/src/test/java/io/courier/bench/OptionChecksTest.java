package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class OptionChecksTest {
    private final CommandLine cmd = new CommandLine(CommandSpec.create());

    @Test
    void shouldNameTheOptionAndItsRangeInEachCheck() {
        assertThatThrownBy(() -> OptionChecks.size(OptionChecks.MAX_SIZE + 1)).isInstanceOf(
                IllegalArgumentException.class).hasMessage("--size must be 0 to 1048576 bytes, got 1048577");
        assertThatThrownBy(() -> OptionChecks.count(0)).hasMessage("--count must be >= 1, got 0");
        assertThatThrownBy(() -> OptionChecks.warmup(-1)).hasMessage("--warmup must be >= 0, got -1");
        assertThatThrownBy(() -> OptionChecks.timeout(Duration.ZERO))
                .hasMessage("--timeout must be positive, got PT0S");
        assertThatThrownBy(() -> OptionChecks.range("--window", 0, 1, 10))
                .hasMessage("--window must be 1 to 10, got 0");
        assertThatThrownBy(() -> OptionChecks.range("--idle-clients", 11, 0, 10))
                .hasMessage("--idle-clients must be 0 to 10, got 11");
    }

    @Test
    void shouldTakeValuesAtTheEdgesOfTheirRanges() {
        assertThatCode(() -> {
            OptionChecks.size(0);
            OptionChecks.size(OptionChecks.MAX_SIZE);
            OptionChecks.count(1);
            OptionChecks.warmup(0);
            OptionChecks.timeout(Duration.ofNanos(1));
            OptionChecks.range("--window", 1, 1, 10);
            OptionChecks.range("--window", 10, 1, 10);
        }).doesNotThrowAnyException();
    }

    @Test
    void shouldParseTheTimeoutAndCheckTheBrokerAsUsageErrors() {
        assertThat(OptionChecks.deadline(cmd, "250ms", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(OptionChecks.deadline(cmd, "10s", "tcp://127.0.0.1:5555")).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> OptionChecks.deadline(cmd, "soon", null)).isInstanceOf(ParameterException.class)
                .hasMessageContaining("invalid duration 'soon'");
        assertThatThrownBy(() -> OptionChecks.deadline(cmd, "10s", "localhost:5555"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--broker");
    }

    @Test
    void shouldRefuseAnOptionOfTheBrokerRunWithAnotherMode() {
        assertThatCode(() -> OptionChecks.onlyThrough(cmd, false, "--broker", "the broker", "--raw"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> OptionChecks.onlyThrough(cmd, true, "--broker", "the broker's streams", "--plain"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--broker applies to the run through the broker's streams; it cannot be used with --plain");
    }

    @Test
    void shouldTurnSettingsThatFailTheirChecksIntoAUsageError() {
        assertThat(OptionChecks.settings(cmd, () -> "built")).isEqualTo("built");
        assertThatThrownBy(() -> OptionChecks.settings(cmd, () -> {
            OptionChecks.count(-3);
            return "never";
        })).isInstanceOf(ParameterException.class).hasMessage("--count must be >= 1, got -3");
    }
}
