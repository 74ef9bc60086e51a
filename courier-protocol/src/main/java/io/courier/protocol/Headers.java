package io.courier.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message headers and their one-frame encoding: a sequence of entries, each
 * {@code key-length (1 byte) | key (UTF-8) | value-length (2 bytes, big-endian) | value (UTF-8)}.
 * An empty frame means no headers. Immutable and thread-safe.
 */
public final class Headers {
    public static final String CONTENT_TYPE = "content-type";
    public static final String TRACEPARENT = "traceparent";

    public static final Headers EMPTY = new Headers(Map.of());
    private static final byte[] NO_BYTES = new byte[0];
    private static final int MAX_KEY_BYTES = 255;
    private static final int MAX_VALUE_BYTES = 65_535;

    private final Map<String, String> entries;

    private Headers(Map<String, String> entries) {
        this.entries = entries;
    }

    /** Headers from a map; keys must be 1 to 255 bytes and values at most 65,535 bytes of UTF-8. */
    public static Headers of(Map<String, String> map) {
        if (map.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            checkEntry(k, v);
            copy.put(k, v);
        });
        return new Headers(Collections.unmodifiableMap(copy));
    }

    public String get(String key) {
        return entries.get(key);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** An unmodifiable view, in insertion order. */
    public Map<String, String> asMap() {
        return entries;
    }

    public byte[] encode() {
        if (entries.isEmpty()) {
            return NO_BYTES;
        }
        int size = 0;
        byte[][] parts = new byte[entries.size() * 2][];
        int i = 0;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            parts[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
            parts[i + 1] = e.getValue().getBytes(StandardCharsets.UTF_8);
            size += 3 + parts[i].length + parts[i + 1].length;
            i += 2;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (int p = 0; p < parts.length; p += 2) {
            buf.put((byte) parts[p].length).put(parts[p]);
            buf.putShort((short) parts[p + 1].length).put(parts[p + 1]);
        }
        return buf.array();
    }

    /**
     * Decodes a headers frame; a truncated or empty-keyed entry, or a key or value that is not UTF-8, is a
     * {@link ProtocolException}.
     */
    public static Headers decode(byte[] frame) {
        if (frame.length == 0) {
            return EMPTY;
        }
        Map<String, String> map = new LinkedHashMap<>();
        ByteBuffer buf = ByteBuffer.wrap(frame);
        while (buf.hasRemaining()) {
            int keyLength = buf.get() & 0xFF;
            if (keyLength == 0 || buf.remaining() < keyLength + 2) {
                throw new ProtocolException("malformed headers frame: bad key length " + keyLength);
            }
            String key = Utf8.decode(frame, buf.position(), keyLength, "header key");
            buf.position(buf.position() + keyLength);
            int valueLength = buf.getShort() & 0xFFFF;
            if (buf.remaining() < valueLength) {
                throw new ProtocolException("malformed headers frame: value of '" + key + "' is truncated");
            }
            String value = Utf8.decode(frame, buf.position(), valueLength, "value of header '" + key + "'");
            buf.position(buf.position() + valueLength);
            map.put(key, value);
        }
        return new Headers(Collections.unmodifiableMap(map));
    }

    private static void checkEntry(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("header keys and values must not be null");
        }
        int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes == 0 || keyBytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("header key must be 1 to 255 bytes [key=" + key + "]");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("header value over 65535 bytes [key=" + key + "]");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
