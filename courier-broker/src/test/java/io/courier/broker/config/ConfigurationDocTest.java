package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConfigurationDocTest {
    private static final Map<String, String> DEFAULTS = BrokerConfigLoader.describe(
            BrokerConfig.defaults(BrokerConfigLoader.DEFAULT_DATA_DIR));

    @Test
    void shouldDocumentEveryKeyWithItsVariableAndDefault() throws IOException {
        List<String> lines = Files.readAllLines(ProjectFiles.resolve("docs/configuration.md"));

        for (String key : BrokerConfigLoader.keys()) {
            Optional<String> row = lines.stream().filter(line -> line.startsWith("| `" + key + "` |")).findFirst();
            assertThat(row).as("a row for %s in docs/configuration.md", key).isPresent();
            assertThat(row.get()).as("row of %s", key)
                    .contains("`" + BrokerConfigLoader.envName(key) + "`")
                    .contains("`" + DEFAULTS.get(key) + "`");
        }
    }

    @Test
    void shouldDocumentEveryPatternKeyAsFileOnly() throws IOException {
        List<String> lines = Files.readAllLines(ProjectFiles.resolve("docs/configuration.md"));

        for (String key : BrokerConfigLoader.patternKeys()) {
            Optional<String> row = lines.stream().filter(line -> line.startsWith("| `" + key + "` |")).findFirst();
            assertThat(row).as("a row for %s in docs/configuration.md", key).isPresent();
            assertThat(row.get()).as("row of %s", key).contains("| (file only) |");
        }
    }

    @Test
    void shouldOpenWithTldr() throws IOException {
        String doc = Files.readString(ProjectFiles.resolve("docs/configuration.md"));

        assertThat(doc.lines().skip(2).findFirst())
                .hasValueSatisfying(line -> assertThat(line).startsWith("**tl;dr**"));
    }
}
