package io.courier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of the headers frame (docs/protocol.md, section 6), the one field with length prefixes inside it:
 * any bytes decode or fail with {@link ProtocolException}, what decodes can be sent on unchanged, and valid
 * headers survive a round trip. Also {@link TraceIds}, which reads a header value a peer chose.
 */
@Timeout(30)
class HeadersPropertyTest {
    private static final int TRIES = 5_000;

    @Test
    void shouldDecodeAnyFrameOrRejectItWithProtocolException() {
        Property.forAllFrames("headers decode", TRIES, HeadersPropertyTest::headersFrame, f -> {
            if (f.length == 0) {
                return;
            }
            Headers decoded;
            try {
                decoded = Headers.decode(f[0]);
            } catch (ProtocolException rejected) {
                return;
            }
            // What the broker decodes it forwards (REQUEST to JOB, DONE to REPLY): it must encode to the same.
            assertThat(Headers.decode(decoded.encode())).isEqualTo(decoded);
            decoded.asMap().forEach((key, value) -> {
                assertThat(utf8Length(key)).isBetween(1, 255);
                assertThat(utf8Length(value)).isBetween(0, 65_535);
            });
        });
    }

    @Test
    void shouldRoundTripValidHeaders() {
        Property.forAll("headers round trip", TRIES, RandomFrames::headers, Headers::toString, headers -> {
            Headers decoded = Headers.decode(headers.encode());
            assertThat(decoded).isEqualTo(headers);
            assertThat(decoded.asMap().keySet()).containsExactlyElementsOf(headers.asMap().keySet());
        });
    }

    @Test
    void shouldReadATraceIdOrMakeOneFromAnyTraceparent() {
        Property.forAll("trace id of any traceparent", TRIES, HeadersPropertyTest::traceparent, v -> v, value -> {
            String id = TraceIds.of(value);
            assertThat(id).hasSize(32).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        });
    }

    /** One frame: random bytes, a valid encoding, or a mutated valid encoding. */
    private static byte[][] headersFrame(Random random) {
        byte[] valid = RandomFrames.headers(random).encode();
        return switch (random.nextInt(4)) {
            case 0 -> new byte[][] {RandomFrames.frame(random)};
            case 1 -> new byte[][] {valid};
            case 2 -> new byte[][] {invalidUtf8Entry(random)};
            default -> {
                byte[][] mutated = RandomFrames.mutate(random, new byte[][] {valid});
                yield mutated.length == 0 ? mutated : new byte[][] {mutated[0]};
            }
        };
    }

    /** A well-formed entry whose key or value bytes are not UTF-8 (here 0xFF, never valid in UTF-8). */
    private static byte[] invalidUtf8Entry(Random random) {
        int keyLength = 1 + random.nextInt(255);
        int valueLength = random.nextInt(300);
        byte[] entry = new byte[3 + keyLength + valueLength];
        entry[0] = (byte) keyLength;
        for (int i = 1; i <= keyLength; i++) {
            entry[i] = random.nextBoolean() ? (byte) 0xFF : (byte) 'k';
        }
        entry[1 + keyLength] = (byte) (valueLength >>> 8);
        entry[2 + keyLength] = (byte) valueLength;
        for (int i = 3 + keyLength; i < entry.length; i++) {
            entry[i] = random.nextBoolean() ? (byte) 0xFF : (byte) 'v';
        }
        return entry;
    }

    private static String traceparent(Random random) {
        String valid = TraceIds.newTraceparent();
        return switch (random.nextInt(4)) {
            case 0 -> valid;
            case 1 -> new String(RandomFrames.bytes(random, random.nextInt(80)), StandardCharsets.UTF_8);
            case 2 -> valid.substring(0, random.nextInt(valid.length()));
            default -> {
                char[] chars = valid.toCharArray();
                chars[random.nextInt(chars.length)] = (char) random.nextInt(0x3000);
                yield new String(chars);
            }
        };
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
