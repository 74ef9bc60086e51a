package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class ConfigValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "endpoints.frontend  | tcp://nohost                | endpoints.frontend: invalid endpoint 'tcp://nohost'",
        "endpoints.publish   | udp://127.0.0.1:5556        | endpoints.publish: invalid endpoint",
        "endpoints.subscribe | tcp://127.0.0.1:99999       | endpoints.subscribe: port out of range",
        "endpoints.http      | localhost                   | endpoints.http: expected host:port or 'off', got",
        "endpoints.http      | 127.0.0.1:70000             | endpoints.http: port out of range in '127.0.0.1:70000'",
        "heartbeat.interval  | 0ms                         | heartbeat.interval: must be a positive duration, got 0ms",
        "heartbeat.interval  | 2 seconds                   | heartbeat.interval: not a duration: '2 seconds'",
        "heartbeat.interval  | 9000h                       | heartbeat.interval: must be at most 8760h, got 9000h",
        "heartbeat.liveness  | 0                           | heartbeat.liveness: must be >= 1, got 0",
        "heartbeat.liveness  | three                       | heartbeat.liveness: not an integer: 'three'",
        "requests.defaultTimeout | 5 parsecs               | requests.defaultTimeout: not a duration: '5 parsecs'",
        "requests.defaultTimeout | 0s                      | requests.defaultTimeout: must be a positive duration",
        "requests.unknownServiceWait | -1s                 | requests.unknownServiceWait: not a duration: '-1s'",
        "requests.unknownServiceWait | 9000h               | requests.unknownServiceWait: must be at most 8760h",
        "requests.maxQueuedPerService | 0                  | requests.maxQueuedPerService: must be >= 1, got 0",
        "requests.maxQueuedPerService | 99999999999 | requests.maxQueuedPerService: out of range: '99999999999'",
        "limits.maxMessageBytes | 512                      | limits.maxMessageBytes: must be >= 1024, got 512",
        "limits.maxMessageBytes | 16MB                     | limits.maxMessageBytes: not a size: '16MB'",
        "limits.maxMessageBytes | 2GiB                     | limits.maxMessageBytes: too large: '2GiB'",
        "limits.maxFrames    | 7                           | limits.maxFrames: must be >= 8, got 7",
        "limits.maxFrames    | 1.5                         | limits.maxFrames: not an integer: '1.5'",
        "limits.maxConnections | 0                         | limits.maxConnections: must be >= 1, got 0",
        "limits.maxConnections | many                      | limits.maxConnections: not an integer: 'many'",
        "limits.handshakeTimeout | 99ms                    | limits.handshakeTimeout: must be 100ms to 1h, got 99ms",
        "limits.handshakeTimeout | 61m                     | limits.handshakeTimeout: must be 100ms to 1h, got 61m",
        "limits.handshakeTimeout | 5                       | limits.handshakeTimeout: not a duration: '5'",
        "shutdown.drainTimeout | -1s                       | shutdown.drainTimeout: not a duration: '-1s'",
        "shutdown.drainTimeout | 10                        | shutdown.drainTimeout: not a duration: '10'",
        "shutdown.drainTimeout | 9000h                     | shutdown.drainTimeout: must be at most 8760h, got 9000h",
        "log.level           | VERBOSE                     | log.level: must be one of TRACE, DEBUG, INFO, WARN, ERROR,"
            + " got 'VERBOSE'",
        "log.level           | warning                     | log.level: must be one of TRACE, DEBUG, INFO, WARN, ERROR",
        "log.format          | xml                         | log.format: must be one of text, json, got 'xml'",
        "streams.maxMessages | 0                           | streams.maxMessages: must be 1 to 1073741824, got 0",
        "streams.maxMessages | 1073741825                  | streams.maxMessages: must be 1 to 1073741824",
        "streams.maxBytes    | 0                           | streams.maxBytes: must be 1 to 1099511627776 (1024GiB)",
        "streams.maxBytes    | 2048GiB                     | streams.maxBytes: too large: '2048GiB'",
        "streams.maxBytes    | 64MB                        | streams.maxBytes: not a size: '64MB'",
        "streams.maxAge      | 0s                          | streams.maxAge: must be a positive duration, got 0ms",
        "streams.maxAge      | 7d                          | streams.maxAge: not a duration: '7d'",
        "streams.maxAge      | 9000h                       | streams.maxAge: must be at most 8760h, got 9000h",
        "streams.maxStreams  | 0                           | streams.maxStreams: must be >= 1, got 0",
        "streams.retention.prices.*.maxAge | 0s | streams.retention.prices.*.maxAge: must be a positive duration",
        "streams.retention.a.maxMessages | many | streams.retention.a.maxMessages: not an integer: 'many'",
        "streams.retention.a.maxBytes | 0        | streams.retention.a.maxBytes: must be 1 to 1099511627776",
        "streams.retention.a**.maxAge | 1h       | streams.retention.a**: invalid pattern 'a**' ('*' may only end it",
    })
    void shouldNameTheKeyAndTheProblem(String key, String value, String message) {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void shouldNameTheKeyForEveryKeyWithAnInvalidValue() {
        for (String key : BrokerConfigLoader.keys()) {
            boolean path = key.equals("dataDir") || key.equals("security.curve.secretKeyFile")
                    || key.equals("security.allowlist");
            String bad = path ? "bad\0path" : "nonsense value";
            assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(), Map.of(key, bad)))
                    .as(key)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(key + ": ");
        }
    }

    @Test
    void shouldNameTheKeyFromTheEnvironmentToo() {
        Map<String, String> env = Map.of("COURIER_HEARTBEAT_LIVENESS", "0");

        assertThatThrownBy(() -> BrokerConfigLoader.load(null, env, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("heartbeat.liveness: must be >= 1, got 0");
    }

    @Test
    void shouldBoundTheHeartbeatExpiry() {
        assertThatThrownBy(() -> new BrokerConfig.Heartbeat(Duration.ofHours(8000), 2))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("heartbeat.liveness: interval * liveness must be at most 8760h, got 8000h * 2");
        assertThat(new BrokerConfig.Heartbeat(Duration.ofHours(4380), 2).expiry()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void shouldAcceptTheEdgesOfEachRange() {
        Map<String, String> edges = Map.of("requests.unknownServiceWait", "0ms", "heartbeat.liveness", "1",
                "limits.maxMessageBytes", "1KiB", "limits.maxFrames", "8", "endpoints.http", "127.0.0.1:0",
                "requests.defaultTimeout", "8760h", "endpoints.frontend", "tcp://[::1]:65535",
                "streams.maxBytes", "1024GiB", "streams.maxMessages", "1073741824");

        BrokerConfig config = BrokerConfigLoader.load(null, Map.of(), edges);

        assertThat(config.requests().unknownServiceWait()).isZero();
        assertThat(config.limits().maxMessageBytes()).isEqualTo(1024);
        BrokerConfig.Limits lowest = BrokerConfigLoader.load(null, Map.of(),
                Map.of("limits.maxConnections", "1", "limits.handshakeTimeout", "100ms")).limits();
        assertThat(lowest.maxConnections()).isEqualTo(1);
        assertThat(lowest.handshakeTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(BrokerConfigLoader.load(null, Map.of(), Map.of("limits.handshakeTimeout", "1h")).limits()
                .handshakeTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.requests().defaultTimeout()).isEqualTo(Duration.ofDays(365));
        assertThat(config.streams().maxBytes()).isEqualTo(1L << 40);
        assertThat(config.streams().maxMessages()).isEqualTo(1 << 30);
    }

    @Test
    void shouldAcceptLogLevelsAndFormatsInAnyCase() {
        for (String level : BrokerConfig.Logging.LEVELS) {
            Map<String, String> env = Map.of("COURIER_LOG_LEVEL", level.toLowerCase(Locale.ROOT));

            BrokerConfig config = BrokerConfigLoader.load(null, env, Map.of("log.format", "JSON"));

            assertThat(config.log()).isEqualTo(new BrokerConfig.Logging(level, "json"));
        }
        assertThat(BrokerConfigLoader.load(null, Map.of(), Map.of("log.level", "Trace")).log().level())
                .isEqualTo("TRACE");
    }

    @Test
    void shouldAcceptAZeroDrainTimeout() {
        BrokerConfig config = BrokerConfigLoader.load(null, Map.of(), Map.of("shutdown.drainTimeout", "0ms"));

        assertThat(config.shutdown().drainTimeout()).isZero();
    }

    @Test
    void shouldRejectBadShutdownAndLoggingBuiltInCode() {
        assertThatThrownBy(() -> new BrokerConfig.Shutdown(Duration.ofSeconds(-1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("shutdown.drainTimeout: must be >= 0");
        assertThatThrownBy(() -> new BrokerConfig.Shutdown(null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("shutdown.drainTimeout: must be given");
        assertThatThrownBy(() -> new BrokerConfig.Logging(null, "text"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("log.level: must be given");
        assertThatThrownBy(() -> new BrokerConfig.Logging("INFO", "yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("log.format: must be one of text, json, got 'yaml'");
    }

    @Test
    void shouldRejectAnEmptyDataDirBuiltInCode() {
        assertThatThrownBy(() -> BrokerConfig.defaults(Path.of("")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("dataDir: must not be empty");
    }

    @Test
    void shouldKeepTheEphemeralConfigValid() {
        BrokerConfig config = BrokerConfig.ephemeral(Path.of("d"));

        assertThat(config.endpoints().frontend()).isEqualTo("tcp://127.0.0.1:*");
        assertThat(config.endpoints().http()).isEqualTo("off");
    }
}
