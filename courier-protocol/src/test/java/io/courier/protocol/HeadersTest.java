package io.courier.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void shouldRoundTripInOrder() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        map.put("x-tenant", "é-42");
        Headers decoded = Headers.decode(Headers.of(map).encode());
        assertThat(decoded.asMap()).containsExactlyEntriesOf(map);
    }

    @Test
    void shouldRejectTruncatedFrame() {
        byte[] frame = Headers.of(Map.of("k", "value")).encode();
        byte[] truncated = java.util.Arrays.copyOf(frame, frame.length - 1);
        assertThatThrownBy(() -> Headers.decode(truncated)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldRoundTripRandomHeaders() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int n = random.nextInt(5); n > 0; n--) {
                map.put(randomText(random, 1 + random.nextInt(20)), randomText(random, random.nextInt(50)));
            }
            assertThat(Headers.decode(Headers.of(map).encode()).asMap()).isEqualTo(map);
        }
    }

    @Test
    void shouldThrowOnlyProtocolExceptionOnRandomBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] frame = new byte[random.nextInt(64)];
            random.nextBytes(frame);
            try {
                Headers.decode(frame);
            } catch (ProtocolException expected) {
                // malformed input is reported as a protocol error, never as anything else
            }
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(random.nextInt(4) == 0 ? 0x00E0 + random.nextInt(200) : 'a' + random.nextInt(26));
        }
        return sb.toString();
    }
}
