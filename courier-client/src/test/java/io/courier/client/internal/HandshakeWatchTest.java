package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMonitor.Event;

@Timeout(10)
class HandshakeWatchTest {
    private final HandshakeWatch curve = new HandshakeWatch(true, 500);
    private final HandshakeWatch plain = new HandshakeWatch(false, 500);

    @Test
    void shouldReportAZapRefusalAtOnce() {
        curve.onEvent(Event.CONNECTED, null, 0);
        curve.onEvent(Event.HANDSHAKE_PROTOCOL, 3, 1);

        assertThat(curve.onEvent(Event.HANDSHAKE_FAILED_AUTH, 400, 2)).isEqualTo("authentication failed");
        assertThat(curve.onEvent(Event.DISCONNECTED, null, 3)).as("reported once per connection").isNull();
    }

    @Test
    void shouldReportADisconnectAfterTheGreetingAsAFailedCurveHandshake() {
        curve.onEvent(Event.CONNECTED, null, 0);
        curve.onEvent(Event.HANDSHAKE_PROTOCOL, 3, 1);

        assertThat(curve.onEvent(Event.DISCONNECTED, null, 2)).contains("CURVE handshake failed");
    }

    @Test
    void shouldNotReportADisconnectAfterTheBrokerAnswered() {
        curve.onEvent(Event.CONNECTED, null, 0);
        curve.onEvent(Event.HANDSHAKE_PROTOCOL, 3, 1);
        curve.onMessage();

        assertThat(curve.onEvent(Event.DISCONNECTED, null, 2)).isNull();
    }

    @Test
    void shouldReportAMismatchOnlyAfterTwoEarlyEndsInARow() {
        plain.onEvent(Event.CONNECTED, null, 0);
        assertThat(plain.onEvent(Event.DISCONNECTED, null, 5)).isNull();
        plain.onEvent(Event.CONNECTED, null, 100);

        assertThat(plain.onEvent(Event.DISCONNECTED, null, 105)).contains("requires CURVE");
    }

    @Test
    void shouldIgnoreAHandshakeTimeoutWhichIsLate() {
        for (int i = 0; i < 5; i++) {
            plain.onEvent(Event.CONNECTED, null, i * 1_000L);
            assertThat(plain.onEvent(Event.DISCONNECTED, null, i * 1_000L + 600)).isNull();
        }
    }

    @Test
    void shouldNotReportAPlainDisconnectAfterTheGreeting() {
        plain.onEvent(Event.CONNECTED, null, 0);
        plain.onEvent(Event.HANDSHAKE_PROTOCOL, 3, 1);

        assertThat(plain.onEvent(Event.DISCONNECTED, null, 2)).isNull();
    }
}
