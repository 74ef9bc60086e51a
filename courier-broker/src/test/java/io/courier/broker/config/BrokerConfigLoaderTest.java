package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.security.AccessRules;
import io.courier.core.ConfigException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class BrokerConfigLoaderTest {
    /** A config that differs from the defaults in every key. */
    private static final BrokerConfig CUSTOM = new BrokerConfig(
            new BrokerConfig.Bind("tcp://0.0.0.0:6555", "tcp://0.0.0.0:6556", "ipc:///tmp/courier-sub", "off"),
            Path.of("/var/lib/courier"),
            new BrokerConfig.Heartbeat(Duration.ofMillis(2500), 5),
            new BrokerConfig.Requests(Duration.ofMinutes(2), Duration.ZERO, 50),
            new BrokerConfig.Limits(64 * 1024, 16, 250, Duration.ofMillis(1500)),
            new BrokerConfig.Shutdown(Duration.ofMillis(1500)),
            new BrokerConfig.Logging("DEBUG", "json"),
            new BrokerConfig.Streams(500, 3 * 1024 * 1024, Duration.ofMinutes(30), 20, List.of(
                    new BrokerConfig.RetentionRule("prices.eur", 7, 1500, Duration.ofMillis(2500)),
                    new BrokerConfig.RetentionRule("prices.*", 1_000_000, 1L << 30, Duration.ofHours(24)))));

    @TempDir
    Path dir;

    @Test
    void shouldUseTheDefaultsWhenNothingIsGiven() {
        BrokerConfig config = BrokerConfigLoader.load(null, Map.of(), Map.of());

        assertThat(config).isEqualTo(BrokerConfig.defaults(Path.of("data")));
    }

    @Test
    void shouldLetTheFileOverrideTheDefaults() throws IOException {
        Path file = yaml("endpoints:\n  frontend: tcp://0.0.0.0:5555\nheartbeat:\n  interval: 5s\n");

        BrokerConfig config = BrokerConfigLoader.load(file, Map.of(), Map.of());

        assertThat(config.endpoints().frontend()).isEqualTo("tcp://0.0.0.0:5555");
        assertThat(config.heartbeat().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.heartbeat().liveness()).isEqualTo(3);
        assertThat(config.endpoints().publish()).isEqualTo("tcp://127.0.0.1:5556");
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFile() throws IOException {
        Path file = yaml("endpoints:\n  frontend: tcp://0.0.0.0:5555\nheartbeat:\n  interval: 5s\n  liveness: 4\n"
                + "limits:\n  maxMessageBytes: 1MiB\n");
        Map<String, String> env = Map.of("COURIER_ENDPOINTS_FRONTEND", "tcp://10.0.0.1:5555",
                "COURIER_HEARTBEAT_INTERVAL", "2s", "COURIER_LIMITS_MAX_MESSAGE_BYTES", "2MiB");

        BrokerConfig config = BrokerConfigLoader.load(file, env, Map.of());

        assertThat(config.endpoints().frontend()).isEqualTo("tcp://10.0.0.1:5555");
        assertThat(config.heartbeat().interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.limits().maxMessageBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.heartbeat().liveness()).as("from the file").isEqualTo(4);
    }

    @Test
    void shouldLetOverridesOverrideTheEnvironmentAndTheFile() throws IOException {
        Path file = yaml("endpoints:\n  frontend: tcp://0.0.0.0:5555\n  http: off\ndataDir: /from/file\n");
        Map<String, String> env = Map.of("COURIER_ENDPOINTS_FRONTEND", "tcp://10.0.0.1:5555",
                "COURIER_DATA_DIR", "/from/env", "COURIER_REQUESTS_DEFAULT_TIMEOUT", "10s");
        Map<String, String> overrides = Map.of("endpoints.frontend", "tcp://10.0.0.2:5555", "dataDir", "/from/flag");

        BrokerConfig config = BrokerConfigLoader.load(file, env, overrides);

        assertThat(config.endpoints().frontend()).isEqualTo("tcp://10.0.0.2:5555");
        assertThat(config.dataDir()).isEqualTo(Path.of("/from/flag"));
        assertThat(config.requests().defaultTimeout()).as("from env").isEqualTo(Duration.ofSeconds(10));
        assertThat(config.endpoints().http()).as("from the file").isEqualTo("off");
    }

    @Test
    void shouldApplyThePrecedenceToTheShutdownAndLogKeys() throws IOException {
        Path file = yaml("shutdown:\n  drainTimeout: 20s\nlog:\n  level: DEBUG\n  format: json\n");
        Map<String, String> env = Map.of("COURIER_LOG_LEVEL", "warn", "COURIER_LOG_FORMAT", "json");
        Map<String, String> overrides = Map.of("log.format", "text");

        BrokerConfig fileOnly = BrokerConfigLoader.load(file, Map.of(), Map.of());
        BrokerConfig config = BrokerConfigLoader.load(file, env, overrides);

        assertThat(fileOnly.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(fileOnly.log()).isEqualTo(new BrokerConfig.Logging("DEBUG", "json"));
        assertThat(config.shutdown().drainTimeout()).as("from the file").isEqualTo(Duration.ofSeconds(20));
        assertThat(config.log().level()).as("env over the file").isEqualTo("WARN");
        assertThat(config.log().format()).as("override over env and file").isEqualTo("text");
        assertThat(BrokerConfigLoader.load(null, Map.of("COURIER_SHUTDOWN_DRAIN_TIMEOUT", "3s"),
                Map.of("shutdown.drainTimeout", "0ms")).shutdown().drainTimeout()).isZero();
    }

    @Test
    void shouldDefaultToATenSecondDrainAndInfoTextLogs() {
        BrokerConfig config = BrokerConfigLoader.load(null, Map.of(), Map.of());

        assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.log()).isEqualTo(new BrokerConfig.Logging("INFO", "text"));
    }

    @Test
    void shouldKeepTheFiveComponentConstructorWithDefaultShutdownAndLogging() {
        BrokerConfig d = BrokerConfig.defaults(Path.of("data"));

        BrokerConfig config = new BrokerConfig(d.endpoints(), d.dataDir(), d.heartbeat(), d.requests(), d.limits());

        assertThat(config).isEqualTo(d);
        assertThat(new BrokerConfig(d.endpoints(), d.dataDir(), d.heartbeat(), d.requests(), d.limits(),
                d.shutdown(), d.log())).as("the seven-component one, with default streams").isEqualTo(d);
        assertThat(config.withShutdown(new BrokerConfig.Shutdown(Duration.ZERO)).shutdown().drainTimeout()).isZero();
        assertThat(config.withLogging(new BrokerConfig.Logging("error", "JSON")).log())
                .isEqualTo(new BrokerConfig.Logging("ERROR", "json"));
    }

    @Test
    void shouldReadTheConnectionLimitsFromEachLayer() throws IOException {
        BrokerConfig.Limits defaults = BrokerConfigLoader.load(null, Map.of(), Map.of()).limits();
        Path file = yaml("limits:\n  maxConnections: 300\n  handshakeTimeout: 2s\n");
        Map<String, String> env = Map.of("COURIER_LIMITS_MAX_CONNECTIONS", "200",
                "COURIER_LIMITS_HANDSHAKE_TIMEOUT", "750ms");

        BrokerConfig.Limits fromFile = BrokerConfigLoader.load(file, Map.of(), Map.of()).limits();
        BrokerConfig.Limits fromEnv = BrokerConfigLoader.load(file, env, Map.of()).limits();
        BrokerConfig.Limits fromFlag = BrokerConfigLoader.load(file, env, Map.of("limits.maxConnections", "100"))
                .limits();

        assertThat(defaults.maxConnections()).isEqualTo(10_000);
        assertThat(defaults.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(fromFile.maxConnections()).isEqualTo(300);
        assertThat(fromFile.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromEnv.maxConnections()).isEqualTo(200);
        assertThat(fromEnv.handshakeTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(fromFlag.maxConnections()).isEqualTo(100);
        assertThat(fromFlag.handshakeTimeout()).as("from env").isEqualTo(Duration.ofMillis(750));
        assertThat(BrokerConfigLoader.envName("limits.maxConnections")).isEqualTo("COURIER_LIMITS_MAX_CONNECTIONS");
        assertThat(BrokerConfigLoader.envName("limits.handshakeTimeout"))
                .isEqualTo("COURIER_LIMITS_HANDSHAKE_TIMEOUT");
        assertThat(new BrokerConfig.Limits(2048, 8)).as("the two-argument constructor keeps the defaults")
                .isEqualTo(new BrokerConfig.Limits(2048, 8, 10_000, Duration.ofSeconds(5)));
    }

    @Test
    void shouldTreatANullOverrideAsNotGiven() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("dataDir", null);

        BrokerConfig config = BrokerConfigLoader.load(null, Map.of("COURIER_DATA_DIR", "/env"), overrides);

        assertThat(config.dataDir()).isEqualTo(Path.of("/env"));
    }

    @Test
    void shouldSetEveryKeyThroughOverrides() {
        BrokerConfig config = BrokerConfigLoader.load(null, Map.of(), BrokerConfigLoader.describe(CUSTOM));

        assertThat(config).isEqualTo(CUSTOM);
    }

    @Test
    void shouldSetEveryKeyButTheRulesThroughTheEnvironment() {
        Map<String, String> env = BrokerConfigLoader.describe(CUSTOM).entrySet().stream()
                .filter(e -> BrokerConfigLoader.keys().contains(e.getKey()))
                .collect(Collectors.toMap(e -> BrokerConfigLoader.envName(e.getKey()), Map.Entry::getValue));

        BrokerConfig loaded = BrokerConfigLoader.load(null, env, Map.of());

        assertThat(loaded).isEqualTo(CUSTOM.withStreams(CUSTOM.streams().withRetention(List.of())));
    }

    @Test
    void shouldSetEveryKeyThroughTheFile() throws IOException {
        String lines = BrokerConfigLoader.describe(CUSTOM).entrySet().stream()
                .map(e -> e.getKey() + ": '" + e.getValue() + "'\n").collect(Collectors.joining());

        assertThat(BrokerConfigLoader.load(yaml(lines), Map.of(), Map.of())).isEqualTo(CUSTOM);
    }

    @Test
    void shouldListOneKeyPerRecordComponent() {
        List<String> keys = new ArrayList<>(BrokerConfigLoader.keys());
        keys.addAll(BrokerConfigLoader.patternKeys());

        assertThat(keys).containsExactlyInAnyOrderElementsOf(components("", BrokerConfig.class));
    }

    @Test
    void shouldNameEnvironmentVariablesInUpperSnakeCase() {
        assertThat(BrokerConfigLoader.envName("endpoints.frontend")).isEqualTo("COURIER_ENDPOINTS_FRONTEND");
        assertThat(BrokerConfigLoader.envName("requests.unknownServiceWait"))
                .isEqualTo("COURIER_REQUESTS_UNKNOWN_SERVICE_WAIT");
        assertThat(BrokerConfigLoader.envName("dataDir")).isEqualTo("COURIER_DATA_DIR");
        assertThat(BrokerConfigLoader.envName("shutdown.drainTimeout")).isEqualTo("COURIER_SHUTDOWN_DRAIN_TIMEOUT");
        assertThat(BrokerConfigLoader.envName("log.level")).isEqualTo("COURIER_LOG_LEVEL");
        assertThatThrownBy(() -> BrokerConfigLoader.envName("data")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectAnUnknownVariableAndSuggestTheClosest() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_HEARTBEAT_INTERVALL", "2s"),
                Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown environment variable COURIER_HEARTBEAT_INTERVALL"
                        + " (did you mean COURIER_HEARTBEAT_INTERVAL?)");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_COLOUR", "blue"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown environment variable COURIER_COLOUR (every key is listed in");
    }

    @Test
    void shouldIgnoreVariablesThatAreNotSettings() {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "COURIER_HOME", "/opt/courier",
                "COURIER_OPTS", "-Xmx1g", "courier_data_dir", "/lowercase/is/not/ours");

        assertThat(BrokerConfigLoader.load(null, env, Map.of())).isEqualTo(BrokerConfig.defaults(Path.of("data")));
        assertThat(BrokerConfigLoader.launcherEnv()).containsExactlyInAnyOrder("COURIER_HOME", "COURIER_OPTS");
    }

    @Test
    void shouldRejectAnUnknownOverrideAsAProgrammingError() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of("frontend", "tcp://h:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown config key 'frontend'")
                .hasMessageContaining("endpoints.frontend");
    }

    @Test
    void shouldRejectAnEmptyValueFromAnyLayer() throws IOException {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_HEARTBEAT_INTERVAL", " "), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("heartbeat.interval: empty value (give one, or leave it out for the"
                        + " default 1s)");
        assertThatThrownBy(() -> BrokerConfigLoader.load(yaml("dataDir:\n"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("dataDir: empty value");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of("endpoints.http", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoints.http: empty value");
    }

    @Test
    void shouldIgnoreSpacesAroundValues() {
        BrokerConfig config = BrokerConfigLoader.load(null, Map.of("COURIER_HEARTBEAT_LIVENESS", " 7 "), Map.of());

        assertThat(config.heartbeat().liveness()).isEqualTo(7);
    }

    @Test
    void shouldDescribeTheDefaultsInTheFormatsItReads() {
        Map<String, String> described = BrokerConfigLoader.describe(BrokerConfig.defaults(Path.of("data")));

        assertThat(described).containsEntry("heartbeat.interval", "1s")
                .containsEntry("limits.maxMessageBytes", "16MiB")
                .containsEntry("limits.maxConnections", "10000")
                .containsEntry("limits.handshakeTimeout", "5s")
                .containsEntry("dataDir", "data")
                .containsEntry("endpoints.http", "127.0.0.1:9555")
                .containsEntry("shutdown.drainTimeout", "10s")
                .containsEntry("log.level", "INFO")
                .containsEntry("log.format", "text")
                .containsEntry("streams.maxMessages", "100000")
                .containsEntry("streams.maxBytes", "64MiB")
                .containsEntry("streams.maxAge", "1h")
                .containsEntry("streams.maxStreams", "10000");
        assertThat(described.keySet()).containsExactlyElementsOf(BrokerConfigLoader.keys());
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("courier.yaml"), text);
    }

    /**
     * The dotted names of a record's leaf components: nested records add their name as a prefix, and a list (of
     * rules by pattern) is {@code <name>.<pattern>.*}.
     */
    private static List<String> components(String prefix, Class<?> record) {
        List<String> names = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String name = prefix + component.getName();
            if (component.getType().isRecord()) {
                names.addAll(components(name + ".", component.getType()));
            } else if (component.getType() == List.class
                    && component.getGenericType().getTypeName().equals("java.util.List<java.lang.String>")) {
                names.add(name);   // a list of plain values (addresses), one key
            } else if (component.getType() == List.class) {
                names.add(name + ".<pattern>.*");
            } else if (component.getType() == Map.class) {
                names.add(prefix + "<name>.*");
            } else if (component.getType() == AccessRules.class) {
                names.add(name + ".<key>.*");   // access rules by client key
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
