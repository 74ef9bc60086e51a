package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code streams.*} keys and the retention rules {@code streams.retention.<pattern>.*}. */
@Timeout(10)
class RetentionConfigTest {
    private static final String RULES = """
            streams:
              maxMessages: 1000
              maxAge: 2h
              retention:
                "prices.eur": { maxMessages: 10 }
                "prices.*": { maxMessages: 1000000, maxAge: 24h }
                audit*:
                  maxBytes: 1GiB
                  maxAge: 168h
            """;

    @TempDir
    Path dir;

    @Test
    void shouldReadTheRulesInFileOrderTakingWhatTheyLeaveOutFromTheStreamsKeys() throws IOException {
        BrokerConfig.Streams streams = load(yaml(RULES)).streams();

        assertThat(streams.maxMessages()).isEqualTo(1000);
        assertThat(streams.maxBytes()).as("default").isEqualTo(64L * 1024 * 1024);
        assertThat(streams.retention()).containsExactly(
                new BrokerConfig.RetentionRule("prices.eur", 10, 64L * 1024 * 1024, Duration.ofHours(2)),
                new BrokerConfig.RetentionRule("prices.*", 1_000_000, 64L * 1024 * 1024, Duration.ofHours(24)),
                new BrokerConfig.RetentionRule("audit*", 1000, 1L << 30, Duration.ofHours(168)));
    }

    @Test
    void shouldTakeTheStreamsKeysFromTheEnvironmentIntoTheRulesToo() throws IOException {
        BrokerConfig config = BrokerConfigLoader.load(yaml(RULES), Map.of("COURIER_STREAMS_MAX_AGE", "5m",
                "COURIER_STREAMS_MAX_STREAMS", "50"), Map.of());

        assertThat(config.streams().maxStreams()).isEqualTo(50);
        assertThat(config.streams().retention().get(0).maxAge()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldDescribeTheRulesInOrderAndLoadThemBackFromOverrides() throws IOException {
        BrokerConfig config = load(yaml(RULES));

        Map<String, String> described = BrokerConfigLoader.describe(config);

        assertThat(described).containsEntry("streams.retention.prices.*.maxAge", "24h")
                .containsEntry("streams.retention.audit*.maxBytes", "1GiB");
        assertThat(described.keySet()).containsSubsequence("streams.retention.audit*.maxMessages",
                "streams.retention.audit*.maxBytes", "streams.retention.audit*.maxAge",
                "streams.retention.audit*.durable");
        assertThat(described).containsEntry("streams.retention.audit*.durable", "false");
        assertThat(BrokerConfigLoader.load(null, Map.of(), described)).isEqualTo(config);
    }

    @Test
    void shouldLetOverridesChangeARuleOrAddOneAfterTheFilesRules() throws IOException {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("streams.retention.new.maxMessages", "3");
        overrides.put("streams.retention.prices.*.maxAge", "1h");

        List<BrokerConfig.RetentionRule> rules = BrokerConfigLoader.load(yaml(RULES), Map.of(), overrides).streams()
                .retention();

        assertThat(rules).extracting(BrokerConfig.RetentionRule::pattern)
                .containsExactly("prices.eur", "prices.*", "audit*", "new");
        assertThat(rules.get(1).maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(rules.get(1).maxMessages()).as("from the file").isEqualTo(1_000_000);
    }

    @Test
    void shouldAcceptAnEmptyRetentionSectionAsNoRules() throws IOException {
        assertThat(load(yaml("streams:\n  retention:\n")).streams().retention()).isEmpty();
        assertThat(load(yaml("streams:\n  retention: {}\nheartbeat: {}\nlimits:\n")))
                .isEqualTo(BrokerConfig.defaults(Path.of("data")));
    }

    @Test
    void shouldRejectAnUnknownSettingInARuleNamingTheKey() throws IOException {
        Path file = yaml("streams:\n  retention:\n    \"prices.*\": { maxAgee: 1h }\n");

        assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'streams.retention.prices.*.maxAgee' in " + file
                        + ": under streams.retention, each stream-name pattern takes maxMessages, maxBytes, maxAge")
                .hasMessageContaining("(did you mean streams.retention.prices.*.maxAge?)");
    }

    @Test
    void shouldReadWhetherARuleIsDurableAndRejectAnythingButTrueOrFalse() throws IOException {
        BrokerConfig config = load(yaml("streams:\n  retention:\n    \"audit.*\": { durable: true }\n"
                + "    \"prices.*\": { maxAge: 2h }\n"));

        assertThat(config.streams().retention()).extracting(BrokerConfig.RetentionRule::durable)
                .containsExactly(true, false);
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    \"audit.*\": { durable: yes please }\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention.audit.*.durable: expected true or false, got 'yes please'");
    }

    @Test
    void shouldRejectARuleGivenAsASingleValueOrWithNothingInIt() throws IOException {
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    \"prices.*\": 24h\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'streams.retention.prices.*' in ");
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    \"prices.*\": {}\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention.prices.*: a retention rule in ")
                .hasMessageContaining(" needs at least one of maxMessages, maxBytes, maxAge");
        assertThatThrownBy(() -> load(yaml("streams:\n  retention: 24h\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention: is a section in ");
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    maxAge: 24h\n")))
                .as("a setting without a pattern")
                .hasMessageStartingWith("unknown key 'streams.retention.maxAge' in ");
    }

    @Test
    void shouldRejectAPatternWithAStarBeforeItsEnd() throws IOException {
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    \"audit.**\": { maxAge: 1h }\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("streams.retention.audit.**: invalid pattern 'audit.**' ('*' may only end it: give a"
                        + " stream name, or a prefix and '*', as in 'prices.*') [reason=CONFIG]");
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    \"\": { maxAge: 1h }\n")))
                .hasMessageStartingWith("streams.retention: a rule needs a stream-name pattern, got an empty one");
    }

    @Test
    void shouldRejectARuleThatAnEarlierOneHides() throws IOException {
        Path file = yaml("streams:\n  retention:\n    \"prices.*\": { maxAge: 1h }\n    prices.eur: { maxAge: 2h }\n");

        assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention.prices.eur: never applies, the rule 'prices.*' before it"
                        + " matches every stream it matches (put the narrower rule first)");
    }

    @Test
    void shouldRejectTheSameRuleSettingGivenTwice() throws IOException {
        Path file = yaml("streams:\n  retention:\n    \"prices.*\": { maxAge: 1h }\n    prices:\n"
                + "      \"*\": { maxAge: 2h }\n");

        assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention.prices.*.maxAge: given twice in ");
    }

    @Test
    void shouldSayThatTheEnvironmentCannotGiveRules() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null,
                Map.of("COURIER_STREAMS_RETENTION_PRICES_MAX_AGE", "1h"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown environment variable COURIER_STREAMS_RETENTION_PRICES_MAX_AGE:"
                        + " retention rules (streams.retention.<pattern>.*) can only be given in the config file");
    }

    @Test
    void shouldNameTheRuleKeyOfAnEmptyValue() throws IOException {
        assertThatThrownBy(() -> load(yaml("streams:\n  retention:\n    \"prices.*\":\n      maxAge:\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention.prices.*.maxAge: empty value (give one, or leave it out"
                        + " to use streams.maxAge)");
    }

    @Test
    void shouldRejectAnUnknownOverrideUnderTheRetentionSectionAsAProgrammingError() {
        assertThatThrownBy(() -> BrokerConfigLoader.load(null, Map.of(),
                Map.of("streams.retention.prices.*.maxAgee", "1h")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown config key 'streams.retention.prices.*.maxAgee'");
    }

    @Test
    void shouldValidateRulesBuiltInCode() {
        BrokerConfig.Streams d = BrokerConfig.Streams.defaults();
        BrokerConfig.RetentionRule all = new BrokerConfig.RetentionRule("*", 1, 1, Duration.ofMillis(1));

        assertThatThrownBy(() -> d.withRetention(List.of(all, all))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention.*: never applies, the rule '*' before it");
        assertThatThrownBy(() -> d.withRetention(null)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("streams.retention: must be given");
        assertThatThrownBy(() -> new BrokerConfig.RetentionRule(null, 1, 1, Duration.ofMillis(1)))
                .hasMessageStartingWith("streams.retention: a rule needs a stream-name pattern, got none");
        assertThatThrownBy(() -> new BrokerConfig.RetentionRule("p", 1, 1, null))
                .hasMessageStartingWith("streams.retention.p.maxAge: must be given");
        assertThat(BrokerConfig.defaults(Path.of("d")).withStreams(d.withRetention(List.of(all))).streams()
                .retention()).containsExactly(all);
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("courier.yaml"), text);
    }

    private static BrokerConfig load(Path file) {
        return BrokerConfigLoader.load(file, Map.of(), Map.of());
    }
}
