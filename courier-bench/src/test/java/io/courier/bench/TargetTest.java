package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void shouldBeMetOnTheRightSideOfItsLimit() {
        assertThat(Target.atMost("p50", 2.0, 2.0).met()).isTrue();
        assertThat(Target.atMost("p50", 2.01, 2.0).met()).isFalse();
        assertThat(Target.atLeast("rate", 0.5, 0.5).met()).isTrue();
        assertThat(Target.atLeast("rate", 0.49, 0.5).met()).isFalse();
        assertThat(Target.below("p99", 9_999, 10_000).met()).isTrue();
        assertThat(Target.below("p99", 10_000, 10_000).met()).isFalse();
        assertThat(Target.none("lost 0", 0)).isEqualTo(new Target("lost 0", 0, 0, true));
        assertThat(Target.none("lost 0", 3)).isEqualTo(new Target("lost 0", 3, 0, false));
    }

    @Test
    void shouldLayOutOneLinePerTarget() {
        List<Target> targets = List.of(Target.atLeast("rate", 0.75, 1.0), Target.none("lost 0", 0));

        assertThat(Target.text(targets, "%-10s %6.2f")).isEqualTo(
                "  target rate         0.75  MISSED\n"
                + "  target lost 0       0.00  met\n");
        assertThat(Target.text(List.of(), "%-10s %6.2f")).isEmpty();
    }

    @Test
    void shouldWriteTheTargetsAsAJsonArrayWithRoundedValues() {
        var root = Json.object();

        Target.json(root, List.of(Target.atMost("p99", 1.23456, 3.0)), 3);

        assertThat(Json.write(root)).isEqualTo(
                "{\"targets\":[{\"name\":\"p99\",\"value\":1.235,\"limit\":3.0,\"met\":true}]}");
    }
}
