package io.courier.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for the names and headers a peer sends: bytes that are not UTF-8 are a {@link ProtocolException},
 * never silently replaced. Replacing them would change their length (each bad byte becomes the 3-byte U+FFFD), so
 * a name that fit its limit when read could no longer be sent on. Stateless and thread-safe.
 */
public final class Utf8 {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /** The text of {@code length} bytes at {@code offset}; {@link ProtocolException} naming {@code field} if bad. */
    public static String decode(byte[] bytes, int offset, int length, String field) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT) >= 0) {   // rare: a real U+FFFD, or bytes the lenient decode replaced
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length));
            } catch (CharacterCodingException e) {
                throw new ProtocolException(field + " is not valid UTF-8");
            }
        }
        return text;
    }

    /** The text of a whole frame; {@link ProtocolException} naming {@code field} if it is not UTF-8. */
    public static String decode(byte[] frame, String field) {
        return decode(frame, 0, frame.length, field);
    }
}
