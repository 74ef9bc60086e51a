package io.courier.broker.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamSettingsTest {

    @Test
    void shouldDefaultToTheDocumentedLimits() {
        StreamSettings d = StreamSettings.defaults();

        assertThat(d.maxMessages()).isEqualTo(100_000);
        assertThat(d.maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(d.maxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(d.maxStreams()).isEqualTo(10_000);
        assertThat(d.catchUpBatch()).isEqualTo(1_024);
    }

    @Test
    void shouldChangeOneValueInACopy() {
        StreamSettings s = StreamSettings.defaults().withMaxMessages(5).withMaxBytes(6).withMaxAge(Duration.ofMillis(7))
                .withMaxStreams(8).withCatchUpBatch(9);

        assertThat(s).isEqualTo(new StreamSettings(5, 6, Duration.ofMillis(7), 8, 9));
    }

    @Test
    void shouldRefuseValuesOutOfRangeNamingTheKey() {
        StreamSettings d = StreamSettings.defaults();

        assertThatThrownBy(() -> d.withMaxMessages(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessages").hasMessageContaining("[maxMessages=0]");
        assertThatThrownBy(() -> d.withMaxMessages((1 << 30) + 1)).hasMessageContaining("maxMessages");
        assertThatThrownBy(() -> d.withMaxBytes(0)).hasMessageContaining("maxBytes must be >= 1");
        assertThatThrownBy(() -> d.withMaxAge(Duration.ZERO)).hasMessageContaining("maxAge must be positive");
        assertThatThrownBy(() -> d.withMaxAge(Duration.ofSeconds(-1))).hasMessageContaining("maxAge");
        assertThatThrownBy(() -> d.withMaxAge(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("maxAge");
        assertThatThrownBy(() -> d.withMaxStreams(0)).hasMessageContaining("maxStreams must be >= 1");
        assertThatThrownBy(() -> d.withCatchUpBatch(0)).hasMessageContaining("catchUpBatch must be >= 1");
    }

    @Test
    void shouldResolveTheFirstMatchingRuleElseTheDefaults() {
        Retention prices = new Retention(1_000_000, 1L << 30, Duration.ofHours(24));
        Retention eur = new Retention(10, 1_000, Duration.ofMinutes(1));
        Retention audit = new Retention(5, 500, Duration.ofDays(7));
        StreamSettings s = StreamSettings.defaults().withRules(List.of(new PatternRetention("prices.eur", eur),
                new PatternRetention("prices.*", prices), new PatternRetention("audit*", audit)));

        assertThat(s.retentionFor("prices.eur")).isEqualTo(eur);
        assertThat(s.retentionFor("prices.usd")).isEqualTo(prices);
        assertThat(s.retentionFor("prices.eur.spot")).as("a prefix, not one segment").isEqualTo(prices);
        assertThat(s.retentionFor("prices")).as("the prefix is 'prices.'").isEqualTo(s.defaultRetention());
        assertThat(s.retentionFor("auditlog")).isEqualTo(audit);
        assertThat(s.retentionFor("orders")).isEqualTo(new Retention(100_000, 64L * 1024 * 1024,
                Duration.ofHours(1)));
        assertThat(s.shortestMaxAge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.withMaxMessages(7).rules()).as("kept by withX").hasSize(3);
    }

    @Test
    void shouldMatchEveryStreamWithAStarAlone() {
        PatternRetention all = new PatternRetention("*", StreamSettings.defaults().defaultRetention());

        assertThat(all.matches("a")).isTrue();
        assertThat(all.matches("prices.eur")).isTrue();
    }

    @Test
    void shouldRefuseAPatternWithAStarBeforeItsEnd() {
        Retention r = StreamSettings.defaults().defaultRetention();

        assertThatThrownBy(() -> new PatternRetention("audit.**", r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[pattern=audit.**]");
        assertThatThrownBy(() -> new PatternRetention("*.eur", r)).hasMessageContaining("[pattern=*.eur]");
        assertThatThrownBy(() -> new PatternRetention("", r)).hasMessageContaining("[pattern=]");
        assertThatThrownBy(() -> StreamSettings.defaults().withRules(null)).isInstanceOf(NullPointerException.class);
    }
}
