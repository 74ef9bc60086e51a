package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.ClientConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionTest {
    private static final String FIRST = "tcp://127.0.0.1:5555";
    private static final String SECOND = "tcp://127.0.0.1:5556";
    private final ClientConfig config = ClientConfig.of(FIRST, SECOND)
            .withHeartbeat(Duration.ofMillis(100), 3)
            .withReconnect(Duration.ofMillis(100), Duration.ofSeconds(1));
    private final Session session = new Session(config, new Backoff(100, 1_000, () -> 0.5));

    @Test
    void shouldHeartbeatAfterAnIntervalWithoutTraffic() {
        session.onOpened(0);

        assertThat(session.heartbeatDue(99)).isFalse();
        assertThat(session.heartbeatDue(100)).isTrue();
        session.onHeartbeatSent(100);
        assertThat(session.heartbeatDue(150)).isFalse();
        assertThat(session.nextWakeAt()).isEqualTo(200);
    }

    @Test
    void shouldHeartbeatWhenHearingNothingEvenWhileSending() {
        session.onOpened(0);
        session.onSent(60);
        session.onSent(100);

        assertThat(session.heartbeatDue(100)).isTrue();
    }

    @Test
    void shouldNotHeartbeatWhileTrafficFlowsBothWays() {
        session.onOpened(0);
        session.onSent(90);
        session.onReceived(90);

        assertThat(session.heartbeatDue(150)).isFalse();
        assertThat(session.heartbeatDue(190)).isTrue();
    }

    @Test
    void shouldDeclareTheBrokerDeadAfterIntervalTimesLivenessOfSilence() {
        session.onOpened(0);
        assertThat(session.isAlive()).isFalse();
        assertThat(session.onReceived(50)).isTrue();
        assertThat(session.onReceived(50)).isFalse();

        assertThat(session.isAlive()).isTrue();
        assertThat(session.isExpired(349)).isFalse();
        assertThat(session.isExpired(350)).isTrue();
    }

    @Test
    void shouldUseTheSmallerOfOwnAndBrokerHeartbeat() {
        session.onOpened(0);
        session.onWelcome(50);
        assertThat(session.intervalMillis()).isEqualTo(50);
        assertThat(session.windowMillis()).isEqualTo(150);

        session.onOpened(1_000);
        session.onWelcome(500);
        assertThat(session.intervalMillis()).isEqualTo(100);
    }

    @Test
    void shouldWaitOutTheBrokersLongerHeartbeatBeforeDeclaringItDead() {
        session.onOpened(0);
        session.onReceived(0);
        session.onWelcome(1_000);   // the broker heartbeats every second; we send every 100ms

        assertThat(session.windowMillis()).isEqualTo(3_000);
        assertThat(session.isExpired(2_999)).isFalse();
        assertThat(session.isExpired(3_000)).isTrue();
    }

    @Test
    void shouldFailOverInOrderAndWrapAround() {
        assertThat(session.endpoint()).isEqualTo(FIRST);
        session.onOpened(0);
        session.onClosed(10, true);
        assertThat(session.endpoint()).isEqualTo(SECOND);
        session.onOpened(200);
        session.onClosed(210, true);
        assertThat(session.endpoint()).isEqualTo(FIRST);
        session.onOpened(500);
        session.onClosed(510, false);
        assertThat(session.endpoint()).isEqualTo(FIRST);
    }

    @Test
    void shouldReconnectOnceTheBackoffHasPassed() {
        session.onOpened(0);

        long delay = session.onClosed(1_000, true);

        assertThat(delay).isEqualTo(100);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.isAlive()).isFalse();
        assertThat(session.reconnectDue(1_099)).isFalse();
        assertThat(session.reconnectDue(1_100)).isTrue();
        assertThat(session.nextWakeAt()).isEqualTo(1_100);
    }

    @Test
    void shouldResetTheBackoffAfterAWholeHealthyWindow() {
        session.onOpened(0);
        session.onClosed(0, true);
        session.onClosed(0, true);
        session.onOpened(1_000);
        session.onReceived(1_010);
        session.checkStable(1_299);
        assertThat(session.onClosed(1_299, true)).isEqualTo(400);

        session.onOpened(2_000);
        session.onReceived(2_010);
        session.checkStable(2_300);
        assertThat(session.onClosed(2_300, true)).isEqualTo(100);
    }

    @Test
    void shouldDoubleTheBackoffUpToItsMaximum() {
        Backoff backoff = new Backoff(100, 1_000, () -> 0.5);

        assertThat(new long[] {backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()})
                .containsExactly(100, 200, 400, 800, 1_000);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(100);
    }

    @Test
    void shouldJitterTheBackoffByAtMostTwentyPercent() {
        assertThat(new Backoff(100, 1_000, () -> 0.0).next()).isEqualTo(80);
        assertThat(new Backoff(100, 1_000, () -> 0.999_999).next()).isEqualTo(120);
    }
}
