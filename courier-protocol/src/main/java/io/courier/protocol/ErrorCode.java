package io.courier.protocol;

import io.courier.core.CourierException.Reason;

/**
 * Error codes carried by the native {@code ERROR} and {@code FAIL} commands (docs/protocol.md, section 5).
 * The numbers follow HTTP and MMI where a meaning matches, so they read naturally in logs.
 */
public enum ErrorCode {
    PROTOCOL(400, Reason.PROTOCOL),
    REFUSED(403, Reason.REFUSED),
    UNKNOWN_SERVICE(404, Reason.UNKNOWN_SERVICE),
    EXPIRED(408, Reason.EXPIRED),
    TOO_LARGE(413, Reason.TOO_LARGE),
    QUEUE_FULL(429, Reason.BACKPRESSURE),
    SERVICE_ERROR(500, Reason.SERVICE_ERROR),
    UNAVAILABLE(503, Reason.UNAVAILABLE);

    private final int code;
    private final Reason reason;

    ErrorCode(int code, Reason reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public Reason reason() {
        return reason;
    }

    /** The code for a number read off the wire; unknown numbers map to {@link #PROTOCOL}. */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return PROTOCOL;
    }
}
