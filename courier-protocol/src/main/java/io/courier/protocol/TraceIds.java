package io.courier.protocol;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace ids for log lines about a message: the trace id of a W3C {@code traceparent} header
 * ({@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}), or a new random one when the message carries
 * none. Stateless and thread-safe.
 */
public final class TraceIds {
    private static final int TRACEPARENT_LENGTH = 55;
    private static final String INVALID = "00000000000000000000000000000000";

    private TraceIds() {
    }

    /** The trace id of {@code traceparent}, or a new one when it is missing or malformed. */
    public static String of(String traceparent) {
        if (traceparent != null && traceparent.length() >= TRACEPARENT_LENGTH && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-') {
            String id = traceparent.substring(3, 35);
            if (isLowerHex(id) && !INVALID.equals(id)) {
                return id;
            }
        }
        return create();
    }

    /** A new random trace id: 32 lowercase hex digits, never all zero. */
    public static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong() | 1L;
        return hex16(high) + hex16(low);
    }

    /** A {@code traceparent} header value starting a new trace, for a message that has none. */
    public static String newTraceparent() {
        return "00-" + create() + "-" + hex16(ThreadLocalRandom.current().nextLong() | 1L) + "-01";
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
