package io.courier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.config.BrokerConfigLoader;
import io.courier.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SecurityConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldLoadTheSecurityKeysFromTheEnvironment() {
        BrokerConfig config = BrokerConfigLoader.load(null, Map.of(
                "COURIER_SECURITY_CURVE_ENABLED", "true",
                "COURIER_SECURITY_CURVE_SECRET_KEY_FILE", "/etc/courier/broker.key_secret",
                "COURIER_SECURITY_ALLOWLIST", "/etc/courier/clients",
                "COURIER_SECURITY_IP_ALLOW", "10.0.0.0/8, 192.168.1.7",
                "COURIER_SECURITY_IP_DENY", "10.9.0.0/16"), Map.of());

        SecurityConfig security = config.security();
        assertThat(security.curveEnabled()).isTrue();
        assertThat(security.secretKeyFile()).isEqualTo(Path.of("/etc/courier/broker.key_secret"));
        assertThat(security.allowlist()).isEqualTo(Path.of("/etc/courier/clients"));
        assertThat(security.ipAllow()).containsExactly("10.0.0.0/8", "192.168.1.7");
        assertThat(security.ipDeny()).containsExactly("10.9.0.0/16");
        assertThat(BrokerConfigLoader.load(null, Map.of(), BrokerConfigLoader.describe(config))).isEqualTo(config);
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_SECURITY_CURVE_ENABLED", "yes"),
                Map.of())).hasMessageStartingWith("security.curve.enabled: expected true or false");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_SECURITY_IP_DENY", "10.0.0.1,,"),
                Map.of())).hasMessageStartingWith("security.ipDeny: empty entry");
    }

    @Test
    void shouldRefuseToStartWithoutTheSecretKeyFile() throws Exception {
        Files.createDirectories(dir.resolve("clients"));
        BrokerConfig config = BrokerConfig.ephemeral(dir.resolve("data")).withSecurity(new SecurityConfig(true,
                dir.resolve("nope.key_secret"), dir.resolve("clients"), List.of(), List.of()));

        assertThatThrownBy(() -> Broker.start(config)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("security.curve.secretKeyFile: file not found: "
                        + dir.resolve("nope.key_secret"));
    }

    @Test
    void shouldRefuseToStartWithAPublicCertificateAsTheSecretKey() throws Exception {
        Files.createDirectories(dir.resolve("clients"));
        Files.writeString(dir.resolve("broker.key"), "curve\n    public-key = \""
                + org.zeromq.ZMQ.Curve.generateKeyPair().publicKey + "\"\n");
        BrokerConfig config = BrokerConfig.ephemeral(dir.resolve("data")).withSecurity(new SecurityConfig(true,
                dir.resolve("broker.key"), dir.resolve("clients"), List.of(), List.of()));

        assertThatThrownBy(() -> Broker.start(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.curve.secretKeyFile: ").hasMessageContaining("holds no secret-key");
    }

    @Test
    void shouldWarnAboutExposedEndpointsOnlyWithSecurityOff() {
        List<String> endpoints = List.of("tcp://0.0.0.0:5555", "tcp://127.0.0.1:5556");

        assertThat(BrokerSecurity.warnIfExposed(SecurityConfig.defaults(), endpoints))
                .containsExactly("tcp://0.0.0.0:5555");
        assertThat(BrokerSecurity.warnIfExposed(SecurityConfig.defaults().withCurve(true, Path.of("k"), Path.of("d")),
                endpoints)).isEmpty();
    }
}
