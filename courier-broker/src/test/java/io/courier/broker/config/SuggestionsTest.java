package io.courier.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SuggestionsTest {

    @Test
    void shouldSuggestTheKeyATypoMeant() {
        assertThat(Suggestions.closest("heartbeat.intervall", BrokerConfigLoader.keys()))
                .contains("heartbeat.interval");
        assertThat(Suggestions.closest("heartbeet.interval", BrokerConfigLoader.keys()))
                .contains("heartbeat.interval");
        assertThat(Suggestions.closest("limits.maxmessagebytes", BrokerConfigLoader.keys()))
                .contains("limits.maxMessageBytes");
    }

    @Test
    void shouldSuggestByTheLastPart() {
        assertThat(Suggestions.closest("interval", BrokerConfigLoader.keys())).contains("heartbeat.interval");
        assertThat(Suggestions.closest("requests.timeout", BrokerConfigLoader.keys()))
                .contains("requests.defaultTimeout");
        assertThat(Suggestions.closest("data", BrokerConfigLoader.keys())).contains("dataDir");
    }

    @Test
    void shouldSuggestNothingForUnrelatedNames() {
        assertThat(Suggestions.closest("colour", BrokerConfigLoader.keys())).isEmpty();
        assertThat(Suggestions.closest("tls.certificate", BrokerConfigLoader.keys())).isEmpty();
    }
}
