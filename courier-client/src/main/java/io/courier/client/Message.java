package io.courier.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request or reply: headers and a body. Immutable by contract: the body array is not copied, so do not change
 * it after building a message. Thread-safe to share.
 *
 * <p>Well-known header keys: {@code content-type} and {@code traceparent} (W3C trace context); any other
 * key is a user header, carried end to end unchanged.
 */
public record Message(Map<String, String> headers, byte[] body) {
    public static final String CONTENT_TYPE = "content-type";
    public static final String TRACEPARENT = "traceparent";

    public Message {
        headers = Map.copyOf(headers);
        if (body == null) {
            throw new IllegalArgumentException("body must not be null (use an empty array)");
        }
    }

    public static Message of(byte[] body) {
        return new Message(Map.of(), body);
    }

    public static Message of(String body) {
        return new Message(Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header (or a header replaced). */
    public Message withHeader(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(key, value);
        return new Message(copy, body);
    }

    public String header(String key) {
        return headers.get(key);
    }

    /** The body decoded as UTF-8. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && headers.equals(m.headers) && java.util.Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Message[headers=" + headers + ", bodyBytes=" + body.length + "]";
    }
}
