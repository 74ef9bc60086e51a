package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueueSettingsTest {
    private static final QueueSettings DEFAULTS = QueueSettings.defaults();

    @Test
    void shouldNameTheKeyAndValueInEachValidationError() {
        assertInvalid(() -> DEFAULTS.withMaxMessages(0), "maxMessages must be >= 1 [maxMessages=0]");
        assertInvalid(() -> DEFAULTS.withMaxBytes(0), "maxBytes must be >= 1 [maxBytes=0]");
        assertInvalid(() -> DEFAULTS.withAckTimeout(Duration.ZERO), "ackTimeout must be 1ms to 100 years");
        assertInvalid(() -> DEFAULTS.withAckTimeout(Duration.ofNanos(10)), "[ackTimeout=PT0.00000001S]");
        assertInvalid(() -> DEFAULTS.withAckTimeout(Duration.ofDays(365 * 101L)), "ackTimeout");
        assertInvalid(() -> DEFAULTS.withMaxDeliver(0), "maxDeliver must be >= 1 [maxDeliver=0]");
        assertInvalid(() -> DEFAULTS.withTtl(Duration.ofSeconds(-1)), "ttl must be 0 (none) to 100 years [ttl=PT-1S]");
        assertInvalid(() -> DEFAULTS.withDedupWindow(Duration.ofMillis(-1)), "dedupWindow must be 0 (off)");
        assertInvalid(() -> DEFAULTS.withDedupMaxIds(0), "dedupMaxIds must be 1 to 100000000 [dedupMaxIds=0]");
        assertInvalid(() -> DEFAULTS.withDedupMaxIds(100_000_001), "[dedupMaxIds=100000001]");
        assertInvalid(() -> DEFAULTS.withDeadLetterQueue("x".repeat(256)), "deadLetterQueue must be at most 255");
    }

    @Test
    void shouldRefuseNullComponentsNamingThem() {
        assertThatThrownBy(() -> DEFAULTS.withExpiredPolicy(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("expiredPolicy");
        assertThatThrownBy(() -> DEFAULTS.withTtl(null)).hasMessage("ttl");
        assertThatThrownBy(() -> DEFAULTS.withDeadLetterQueue(null)).hasMessage("deadLetterQueue");
    }

    @Test
    void shouldAllowZeroTtlAndZeroDedupWindowMeaningOff() {
        QueueSettings s = DEFAULTS.withTtl(Duration.ZERO).withDedupWindow(Duration.ZERO);

        assertThat(s.ttl()).isZero();
        assertThat(s.dedupWindow()).isZero();
    }

    @Test
    void shouldRememberAMillionIdsByDefault() {
        assertThat(DEFAULTS.dedupMaxIds()).isEqualTo(1_000_000);
        assertThat(DEFAULTS.withDedupMaxIds(1).dedupMaxIds()).isEqualTo(1);
        assertThat(DEFAULTS.withDedupMaxIds(QueueSettings.MAX_DEDUP_IDS).dedupMaxIds()).isEqualTo(100_000_000);
    }

    @Test
    void shouldDefaultTheDeadLetterQueueToTheNamePlusDlq() {
        assertThat(DEFAULTS.deadLetterQueue()).isEmpty();
        assertThat(DEFAULTS.deadLetterQueueOf("jobs")).isEqualTo("jobs.dlq");
        assertThat(DEFAULTS.withDeadLetterQueue("failed").deadLetterQueueOf("jobs")).isEqualTo("failed");
    }

    @Test
    void shouldChangeOnlyTheGivenComponentInEachWither() {
        QueueSettings s = DEFAULTS.withMaxMessages(5).withMaxBytes(6).withAckTimeout(Duration.ofSeconds(7))
                .withMaxDeliver(8).withTtl(Duration.ofSeconds(9)).withExpiredPolicy(ExpiredPolicy.DROP)
                .withDedupWindow(Duration.ofSeconds(10)).withDedupMaxIds(11).withDeadLetterQueue("dead");

        assertThat(s).isEqualTo(new QueueSettings(5, 6, Duration.ofSeconds(7), 8, Duration.ofSeconds(9),
                ExpiredPolicy.DROP, Duration.ofSeconds(10), 11, "dead"));
    }

    private static void assertInvalid(Supplier<QueueSettings> build, String message) {
        assertThatThrownBy(build::get).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
