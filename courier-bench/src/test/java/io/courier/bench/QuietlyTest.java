package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuietlyTest {
    @Test
    void shouldCloseAndIgnoreWhatClosingThrows() {
        AtomicInteger closed = new AtomicInteger();

        Quietly.close(closed::incrementAndGet);
        assertThatCode(() -> Quietly.close(() -> {
            closed.incrementAndGet();
            throw new Exception("stuck");
        })).doesNotThrowAnyException();
        Quietly.close(null);

        assertThat(closed).hasValue(2);
    }
}
