package io.courier.protocol.codec;

import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.Utf8;
import java.util.Arrays;

/**
 * Reads the packed frame of a batch command, checking every length against what is left: anything that would
 * read past the end is a {@link ProtocolException}, never another exception. Not thread-safe.
 */
final class PackedReader {
    private static final byte[] EMPTY = new byte[0];

    private final byte[] frame;
    private final String what;
    private int position;

    PackedReader(byte[] frame, String what) {
        this.frame = frame;
        this.what = what;
    }

    boolean hasMore() {
        return position < frame.length;
    }

    int u8(String field) {
        need(1, field);
        return frame[position++] & 0xFF;
    }

    int u16(String field) {
        need(2, field);
        int value = (frame[position] & 0xFF) << 8 | (frame[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    /** A u32 used as a length: at most what is left of the frame. */
    int length(String field) {
        need(4, field);
        long value = (frame[position] & 0xFFL) << 24 | (frame[position + 1] & 0xFF) << 16
                | (frame[position + 2] & 0xFF) << 8 | (frame[position + 3] & 0xFF);
        position += 4;
        if (value > frame.length - position) {
            throw new ProtocolException(what + ": " + field + " length " + value + " passes the end of the frame ("
                    + (frame.length - position) + " bytes left)");
        }
        return (int) value;
    }

    long u64(String field) {
        need(8, field);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (frame[position++] & 0xFF);
        }
        return value;
    }

    byte[] bytes(int length, String field) {
        need(length, field);
        byte[] value = length == 0 ? EMPTY : Arrays.copyOfRange(frame, position, position + length);
        position += length;
        return value;
    }

    /** A topic: u8 length 1 to 255, then that many bytes of UTF-8. */
    String topic() {
        int length = u8("topic length");
        if (length == 0) {
            throw new ProtocolException(what + ": topic must be 1 to 255 bytes, got 0");
        }
        need(length, "topic");
        String topic = Utf8.decode(frame, position, length, "topic");
        position += length;
        return topic;
    }

    /** A u32 length, then a headers encoding (section 6). */
    Headers headers() {
        int length = length("headers");
        return length == 0 ? Headers.EMPTY : Headers.decode(bytes(length, "headers"));
    }

    private void need(int count, String field) {
        if (count > frame.length - position) {
            throw new ProtocolException(what + ": " + field + " passes the end of the frame");
        }
    }
}
