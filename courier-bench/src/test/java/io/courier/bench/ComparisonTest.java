package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ComparisonTest {
    /** A stand-in result: a rate, and a cost that may be unknown (NaN). */
    private record Run(double rate, double cost) {
    }

    @Test
    void shouldGiveCouriersAndPlainsFiguresAsRatiosOfRaws() {
        Comparison<Run> c = new Comparison<>(new Run(200, 4), new Run(150, 2), new Run(100, 6));

        assertThat(c.ratio(Run::rate)).isEqualTo(0.5);
        assertThat(c.ratio(Run::cost)).isEqualTo(1.5);
        assertThat(c.plainRatio(Run::rate)).isEqualTo(0.75);
    }

    @Test
    void shouldSayNaNForWhatWasNotMeasured() {
        Comparison<Run> c = new Comparison<>(new Run(200, Double.NaN), null, new Run(100, 6));

        assertThat(c.plainRatio(Run::rate)).isNaN();
        assertThat(c.ratio(Run::cost)).isNaN();
    }

    @Test
    void shouldNeedARawAndACourierRun() {
        assertThatThrownBy(() -> new Comparison<>(null, null, new Run(1, 1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Comparison<>(new Run(1, 1), null, null)).isInstanceOf(NullPointerException.class);
    }
}
