package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConfigValuesTest {

    @Test
    void shouldParseDurationsInEachUnit() {
        assertThat(ConfigValues.duration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigValues.duration("k", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(ConfigValues.duration("k", "1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ConfigValues.duration("k", "1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldRejectDurationsWithoutAUnitOrWithOtherUnits() {
        for (String text : List.of("1000", "2 s", "1d", "1.5s", "-2s", "2S", "s")) {
            assertThatThrownBy(() -> ConfigValues.duration("heartbeat.interval", text))
                    .as(text)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("heartbeat.interval: not a duration: '" + text + "' (use 500ms, 2s, 1m)");
        }
    }

    @Test
    void shouldParseSizesInBytesAndBinaryUnits() {
        assertThat(ConfigValues.size("k", "1048576")).isEqualTo(1_048_576);
        assertThat(ConfigValues.size("k", "64KiB")).isEqualTo(65_536);
        assertThat(ConfigValues.size("k", "16MiB")).isEqualTo(16 * 1024 * 1024);
        assertThat(ConfigValues.size("k", "1GiB")).isEqualTo(1024 * 1024 * 1024);
        assertThat(ConfigValues.size("k", "2147483647")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldRejectDecimalAndUnknownSizeUnits() {
        for (String text : List.of("16MB", "64KB", "1GB", "16M", "16mib", "16 MiB", "1.5MiB", "-1", "lots", "MiB")) {
            assertThatThrownBy(() -> ConfigValues.size("limits.maxMessageBytes", text))
                    .as(text)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("limits.maxMessageBytes: not a size: '" + text + "' (use a number of"
                            + " bytes, or KiB, MiB, GiB as in 64KiB, 16MiB; KB and MB are not accepted)");
        }
    }

    @Test
    void shouldRejectSizesOverTwoGibibytes() {
        for (String text : List.of("2GiB", "2147483648", "99999999999999999999999GiB", "9999999999GiB")) {
            assertThatThrownBy(() -> ConfigValues.size("limits.maxMessageBytes", text))
                    .as(text)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("limits.maxMessageBytes: too large: '" + text + "' (at most 2147483647");
        }
    }

    @Test
    void shouldFormatSizesInTheirShortestExactForm() {
        assertThat(ConfigValues.formatSize(16 * 1024 * 1024)).isEqualTo("16MiB");
        assertThat(ConfigValues.formatSize(1024 * 1024 * 1024)).isEqualTo("1GiB");
        assertThat(ConfigValues.formatSize(2048)).isEqualTo("2KiB");
        assertThat(ConfigValues.formatSize(1536)).isEqualTo("1536");
        assertThat(ConfigValues.formatSize(0)).isEqualTo("0");
    }

    @Test
    void shouldParseIntegers() {
        assertThat(ConfigValues.integer("k", "42")).isEqualTo(42);
        assertThat(ConfigValues.integer("k", "-3")).isEqualTo(-3);
        assertThat(ConfigValues.integer("k", "007")).isEqualTo(7);
        assertThatThrownBy(() -> ConfigValues.integer("k", "0x10")).hasMessageStartingWith("k: not an integer: '0x10'");
        assertThatThrownBy(() -> ConfigValues.integer("k", "2147483648"))
                .hasMessageStartingWith("k: out of range: '2147483648' (at most 2147483647)");
    }
}
