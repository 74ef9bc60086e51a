package io.courier.client.internal;

import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * Reads the monitor events of a connection's socket and tells when the broker refused it at the security
 * handshake. Thread-free; confined to the connection's I/O thread, driven by {@link ConnectionLoop} and by tests.
 *
 * <p>What JeroMQ 0.6.0 reports: a ZAP refusal (unknown key, address denied) is {@code HANDSHAKE_FAILED_AUTH} with
 * the ZAP status; a broken handshake is {@code HANDSHAKE_FAILED_PROTOCOL}. A wrong server key shows only as a
 * disconnect right after the greeting ({@code HANDSHAKE_PROTOCOL}), and a security mismatch (CURVE on one side
 * only) as a disconnect before any greeting. JeroMQ never reports {@code HANDSHAKE_SUCCEEDED}: the first message
 * from the broker marks success. A connection that JeroMQ leaves without a greeting until its handshake timer
 * fires (a known race) ends late, so only early ends count, and it takes two in a row.
 */
final class HandshakeWatch {
    /** The events the connection's monitor asks for. */
    static final int EVENTS = ZMQ.EVENT_CONNECTED | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL
            | ZMQ.HANDSHAKE_FAILED_NO_DETAIL | ZMQ.HANDSHAKE_FAILED_PROTOCOL | ZMQ.HANDSHAKE_FAILED_AUTH;
    private static final int MISMATCHES_TO_REFUSE = 2;

    private final boolean curve;
    private final long earlyMillis;
    private long connectedAt = -1;   // -1: no connection in its handshake
    private boolean greeted;
    private boolean reported;
    private int mismatches;

    /**
     * @param curve       whether this client uses CURVE
     * @param earlyMillis a disconnect sooner than this after connecting, before the greeting, is the peer's doing
     */
    HandshakeWatch(boolean curve, long earlyMillis) {
        this.curve = curve;
        this.earlyMillis = earlyMillis;
    }

    /** The broker sent a message: the handshake succeeded. */
    void onMessage() {
        connectedAt = -1;
        mismatches = 0;
    }

    /** One monitor event at {@code now}; returns why the broker refused this client, or null. */
    String onEvent(ZMonitor.Event event, Object value, long now) {
        switch (event) {
            case CONNECTED -> {
                connectedAt = now;
                greeted = false;
                reported = false;
                return null;
            }
            case HANDSHAKE_PROTOCOL -> {
                greeted = true;
                return null;
            }
            case HANDSHAKE_FAILED_AUTH -> {
                return report(authFailure(value instanceof Integer status ? status : 0));
            }
            case HANDSHAKE_FAILED_PROTOCOL -> {
                return report("security handshake failed (protocol error " + value + ")");
            }
            case HANDSHAKE_FAILED_NO_DETAIL -> {
                return report("security handshake failed");
            }
            case DISCONNECTED -> {
                return onDisconnected(now);
            }
            default -> {
                return null;
            }
        }
    }

    private String onDisconnected(long now) {
        long since = connectedAt;
        connectedAt = -1;
        if (since < 0 || reported) {
            return null;
        }
        if (greeted) {
            return curve ? report("CURVE handshake failed: the broker's key is not the server key given, or the"
                    + " broker refused this client") : null;
        }
        if (now - since >= earlyMillis) {
            return null;   // the handshake timer, not the broker
        }
        if (++mismatches < MISMATCHES_TO_REFUSE) {
            return null;
        }
        return report(curve ? "security mismatch: this client uses CURVE and the broker does not"
                : "security mismatch: the broker requires CURVE (give its server key and a client certificate)");
    }

    private String report(String why) {
        if (reported) {
            return null;
        }
        reported = true;
        connectedAt = -1;
        return why;
    }

    private static String authFailure(int status) {
        return switch (status) {
            case 400 -> "authentication failed";
            case 300 -> "authentication failed for now (ZAP status 300, try again later)";
            case 500 -> "authentication failed: the broker's authenticator failed (ZAP status 500)";
            default -> "authentication failed (ZAP status " + status + ")";
        };
    }
}
