package io.courier.broker.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamSettingsTest {

    @Test
    void shouldDefaultToTheLimitsOfTheSpec() {
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
}
