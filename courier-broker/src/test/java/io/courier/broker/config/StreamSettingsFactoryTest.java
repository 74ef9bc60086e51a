package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.stream.Retention;
import io.courier.broker.stream.PatternRetention;
import io.courier.broker.stream.StreamSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamSettingsFactoryTest {

    @Test
    void shouldMapTheBrokerStreamsConfig() {
        BrokerConfig.Streams config = new BrokerConfig.Streams(50, 4096, Duration.ofMinutes(5), 7,
                List.of(new BrokerConfig.RetentionRule("prices.*", 1_000, 1L << 20, Duration.ofHours(24))));

        StreamSettings s = StreamSettingsFactory.from(config);

        assertThat(s).isEqualTo(new StreamSettings(50, 4096, Duration.ofMinutes(5), 7,
                StreamSettings.DEFAULT_CATCH_UP_BATCH, List.of(new PatternRetention("prices.*",
                        new Retention(1_000, 1L << 20, Duration.ofHours(24))))));
        assertThat(StreamSettingsFactory.from(BrokerConfig.Streams.defaults())).isEqualTo(StreamSettings.defaults());
    }
}
