package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class ArgumentsTest {
    private final CommandLine cmd = new CommandLine(CommandSpec.create());

    @Test
    void shouldTakeANameOf1To255BytesOfUtf8() {
        assertThatCode(() -> Arguments.checkName(cmd, "--queue", "q".repeat(255))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Arguments.checkName(cmd, "--topic", ""))
                .isInstanceOf(ParameterException.class).hasMessage("--topic: must not be empty");
        assertThatThrownBy(() -> Arguments.checkName(cmd, "--queue", "é".repeat(128)))
                .isInstanceOf(ParameterException.class).hasMessage("--queue: is 256 bytes of UTF-8, the most is 255");
    }

    @Test
    void shouldTakeAnEmptyPrefixButNotALongOne() {
        assertThatCode(() -> Arguments.checkBytes(cmd, "--topic", "")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Arguments.checkBytes(cmd, "--topic", "t".repeat(256)))
                .isInstanceOf(ParameterException.class).hasMessage("--topic: is 256 bytes of UTF-8, the most is 255");
    }

    @Test
    void shouldTakeACountFrom1ToItsMostOrNone() {
        assertThatCode(() -> Arguments.checkCount(cmd, "--count", null, 10)).doesNotThrowAnyException();
        assertThatCode(() -> Arguments.checkCount(cmd, "--count", 10L, 10)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Arguments.checkCount(cmd, "--count", 0L, 10))
                .isInstanceOf(ParameterException.class).hasMessage("--count: must be 1 to 10, got 0");
        assertThatThrownBy(() -> Arguments.checkCount(cmd, "--prefetch", 11L, 10))
                .isInstanceOf(ParameterException.class).hasMessage("--prefetch: must be 1 to 10, got 11");
    }
}
