package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldRejectAnUnknownKeyNamingTheFileAndTheClosestKey() throws IOException {
        Path file = yaml("heartbeat:\n  intervall: 2s\n");

        assertThatThrownBy(() -> load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'heartbeat.intervall' in " + file
                        + " (did you mean heartbeat.interval?)");
    }

    @Test
    void shouldRejectAnUnknownKeyWithNoCloseMatch() throws IOException {
        Path file = yaml("colour: blue\n");

        assertThatThrownBy(() -> load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'colour' in " + file + " (every key is listed in");
    }

    @Test
    void shouldSuggestTheSectionForAKeyGivenAtTheTop() throws IOException {
        assertThatThrownBy(() -> load(yaml("interval: 2s\n")))
                .hasMessageContaining("(did you mean heartbeat.interval?)");
    }

    @Test
    void shouldRejectAValueWhereASectionBelongs() throws IOException {
        assertThatThrownBy(() -> load(yaml("endpoints: tcp://0.0.0.0:5555\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoints: is a section in " + dir.resolve("courier.yaml")
                        + "; nest its keys under it (endpoints.frontend, endpoints.publish, endpoints.subscribe,"
                        + " endpoints.http)");
    }

    @Test
    void shouldRejectAMappingWhereAValueBelongs() throws IOException {
        assertThatThrownBy(() -> load(yaml("heartbeat:\n  interval:\n    seconds: 2\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("heartbeat.interval: expected a single value in ");
    }

    @Test
    void shouldRejectAList() throws IOException {
        assertThatThrownBy(() -> load(yaml("endpoints:\n  frontend: [tcp://a:1, tcp://b:1]\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoints.frontend: a list is not allowed here");
        assertThatThrownBy(() -> load(yaml("- dataDir: x\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected settings as 'key: value' lines, got a list");
    }

    @Test
    void shouldRejectMalformedYamlInOneLineWithItsPosition() throws IOException {
        Path file = yaml("heartbeat:\n  interval: 2s\n liveness: 3\n");

        assertThatThrownBy(() -> load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": not valid YAML at line 3, column 2: ")
                .message().doesNotContain("\n");
        assertThatThrownBy(() -> load(yaml("a: b: c\n")))
                .hasMessageStartingWith(file + ": not valid YAML at line 1, column 5: mapping values are not allowed");
    }

    @Test
    void shouldRejectAMissingFile() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + missing + " not found");
    }

    @Test
    void shouldRejectADirectory() {
        assertThatThrownBy(() -> load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + dir + " is a directory");
    }

    @Test
    void shouldRejectTextThatIsNotUtf8() throws IOException {
        Path file = Files.write(dir.resolve("courier.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});

        assertThatThrownBy(() -> load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + file + " is not UTF-8 text");
    }

    @Test
    void shouldNameTheFileByItsAbsolutePath() throws IOException {
        Path file = yaml("colour: blue\n");
        Path relative = Path.of("").toAbsolutePath().relativize(file);

        assertThatThrownBy(() -> load(relative)).hasMessageContaining(" in " + file + " ");
    }

    @Test
    void shouldRejectTheSameKeyGivenTwice() throws IOException {
        assertThatThrownBy(() -> load(yaml("dataDir: a\ndataDir: b\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML at line 2")
                .hasMessageContaining("Duplicate field 'dataDir'");
        assertThatThrownBy(() -> load(yaml("heartbeat:\n  interval: 1s\nheartbeat.interval: 2s\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("heartbeat.interval: given twice in ");
    }

    @Test
    void shouldRejectMoreThanOneDocument() throws IOException {
        assertThatThrownBy(() -> load(yaml("dataDir: a\n---\ndataDir: b\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds more than one YAML document");
    }

    @Test
    void shouldRejectAliases() throws IOException {
        assertThatThrownBy(() -> load(yaml("requests:\n  defaultTimeout: &t 5s\n  unknownServiceWait: *t\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("aliases (*t) are not supported");
    }

    @Test
    void shouldTreatAnEmptyFileAsNoSettings() throws IOException {
        assertThat(load(yaml(""))).isEqualTo(BrokerConfig.defaults(Path.of("data")));
        assertThat(load(yaml("# only a comment\n"))).isEqualTo(BrokerConfig.defaults(Path.of("data")));
    }

    @Test
    void shouldTakeValuesAsWritten() throws IOException {
        BrokerConfig config = load(yaml("endpoints:\n  http: off\nheartbeat:\n  liveness: 010\ndataDir: yes\n"));

        assertThat(config.endpoints().http()).as("not the boolean false").isEqualTo("off");
        assertThat(config.heartbeat().liveness()).as("not octal").isEqualTo(10);
        assertThat(config.dataDir()).isEqualTo(Path.of("yes"));
    }

    @Test
    void shouldAcceptDottedNamesInTheFile() throws IOException {
        BrokerConfig config = load(yaml("heartbeat.interval: 250ms\nlimits:\n  maxFrames: 32\n"));

        assertThat(config.heartbeat().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.limits().maxFrames()).isEqualTo(32);
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("courier.yaml"), text);
    }

    private static BrokerConfig load(Path file) {
        return BrokerConfigLoader.load(file, Map.of(), Map.of());
    }
}
