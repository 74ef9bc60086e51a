package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.security.AccessOperation;
import io.courier.broker.security.AccessRules;
import io.courier.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code security.rules.<key>.<operation>} keys: file, lists, overrides, errors naming the key, round trip. */
@Timeout(10)
class AccessRulesConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadRulesFromTheFileAsTextOrLists() throws IOException {
        Path file = yaml("""
                security:
                  rules:
                    alice:
                      call: "billing.*, orders"
                      publish: [prices, news.]
                    svc.billing:
                      serve: billing.*
                      admin: none
                """);

        AccessRules rules = BrokerConfigLoader.load(file, Map.of(), Map.of()).security().rules();

        assertThat(rules.active()).isTrue();
        assertThat(rules.allows("alice", AccessOperation.CALL, "billing.pay")).isTrue();
        assertThat(rules.allows("alice", AccessOperation.CALL, "orders")).isTrue();
        assertThat(rules.allows("alice", AccessOperation.CALL, "orders.eu")).as("exact name").isFalse();
        assertThat(rules.allows("alice", AccessOperation.PUBLISH, "prices.eur")).as("topics are prefixes").isTrue();
        assertThat(rules.allows("alice", AccessOperation.SERVE, "billing.pay")).isFalse();
        assertThat(rules.allows("svc.billing", AccessOperation.SERVE, "billing.pay")).as("dotted key").isTrue();
        assertThat(rules.allows("svc.billing", AccessOperation.ADMIN, "status")).isFalse();
        assertThat(rules.allows("mallory", AccessOperation.SUBSCRIBE, "prices")).as("default deny").isFalse();
    }

    @Test
    void shouldAllowEverythingWithoutRules() {
        AccessRules rules = BrokerConfigLoader.load(null, Map.of(), Map.of()).security().rules();

        assertThat(rules.active()).isFalse();
        assertThat(rules.allows("anyone", AccessOperation.ADMIN, "status")).isTrue();
    }

    @Test
    void shouldAddTheEveryKeyRuleToEachKey() throws IOException {
        Path file = yaml("security.rules:\n  \"*\": {subscribe: public.}\n  anonymous: {call: echo}\n");

        AccessRules rules = BrokerConfigLoader.load(file, Map.of(), Map.of()).security().rules();

        assertThat(rules.allows("anonymous", AccessOperation.SUBSCRIBE, "public.news")).isTrue();
        assertThat(rules.allows("anonymous", AccessOperation.CALL, "echo")).isTrue();
        assertThat(rules.allows("bob", AccessOperation.SUBSCRIBE, "public.news")).isTrue();
        assertThat(rules.allows("bob", AccessOperation.CALL, "echo")).isFalse();
    }

    @Test
    void shouldTakeRulesFromOverridesAndRoundTripThroughDescribe() throws IOException {
        Path file = yaml("security.rules.alice.call: billing\nsecurity.rules.bob.admin: none\n");
        BrokerConfig config = BrokerConfigLoader.load(file, Map.of(), Map.of("security.rules.alice.call", "payroll"));

        assertThat(config.security().rules().allows("alice", AccessOperation.CALL, "payroll")).isTrue();
        assertThat(config.security().rules().allows("alice", AccessOperation.CALL, "billing")).isFalse();
        Map<String, String> described = BrokerConfigLoader.describe(config);
        assertThat(described).containsEntry("security.rules.alice.call", "payroll")
                .containsEntry("security.rules.bob.admin", "none").containsEntry("security.rules.bob.call", "none");
        assertThat(BrokerConfigLoader.load(null, Map.of(), described)).isEqualTo(config);
    }

    @Test
    void shouldNameTheKeyOfABadRule() throws IOException {
        assertThatThrownBy(() -> load("security.rules.alice.call: \"bil*ling\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("security.rules.alice.call: bad pattern");
        assertThatThrownBy(() -> load("security.rules.alice.call: \"a,,b\"\n"))
                .hasMessageContaining("security.rules.alice.call: empty entry");
        assertThatThrownBy(() -> load("security.rules.alice.cal: billing\n"))
                .hasMessageContaining("unknown key 'security.rules.alice.cal'")
                .hasMessageContaining("did you mean security.rules.alice.call?");
        assertThatThrownBy(() -> load("security.rules.alice.call: [billing, {x: 1}]\n"))
                .hasMessageContaining("security.rules.alice.call: expected a list of names");
        assertThatThrownBy(() -> load("security.allowlist: [a, b]\n"))
                .hasMessageContaining("a list is not allowed here");
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of("COURIER_SECURITY_RULES_ALICE_CALL", "x"),
                Map.of())).hasMessageContaining("can only be given in the config file");
    }

    @Test
    void shouldReadAnEmptyListAsNothingGranted() throws IOException {
        AccessRules rules = load("security.rules.alice.call: []\n").security().rules();

        assertThat(rules.active()).isTrue();
        assertThat(rules.allows("alice", AccessOperation.CALL, "billing")).isFalse();
        assertThat(rules.rules()).singleElement().satisfies(rule -> assertThat(rule.grants()).isEmpty());
    }

    private BrokerConfig load(String text) throws IOException {
        return BrokerConfigLoader.load(yaml(text), Map.of(), Map.of());
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "courier", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
