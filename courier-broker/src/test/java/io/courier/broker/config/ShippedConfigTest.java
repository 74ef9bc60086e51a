package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ShippedConfigTest {
    private static final Path SHIPPED = ProjectFiles.resolve("courier-cli/src/dist/conf/courier.yaml");

    @Test
    void shouldLoadTheShippedFileAsExactlyTheDefaults() {
        BrokerConfig loaded = BrokerConfigLoader.load(SHIPPED, Map.of(), Map.of());

        assertThat(loaded).isEqualTo(BrokerConfig.defaults(Path.of("data")));
    }

    @Test
    void shouldListEveryKeyInTheShippedFile() {
        Map<String, String> written = YamlConfigReader.read(SHIPPED);

        assertThat(written.keySet()).containsExactlyElementsOf(BrokerConfigLoader.keys());
    }

    @Test
    void shouldCommentEveryKeyInTheShippedFile() throws Exception {
        var lines = Files.readAllLines(SHIPPED);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean setting = !line.isEmpty() && !line.startsWith("#") && !line.endsWith(":");
            if (setting) {
                assertThat(lines.get(i - 1).strip()).as("comment above '%s'", line).startsWith("#");
            }
        }
    }
}
