package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodiesTest {
    @Test
    void shouldRepeatTheAlphabetForTheSizeAsked() {
        assertThat(Bodies.pattern(0)).isEmpty();
        assertThat(new String(Bodies.pattern(28), StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrstuvwxyzab");
    }
}
