package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code limits.maxConnections} on the frontend: whether a message from a peer the handler does not track yet may
 * make it one more, and the count and log of those refused. It caps tracked peers, not TCP connections (JeroMQ has
 * no such cap): a connection that never says anything costs only JeroMQ's buffers. Confined to the broker loop
 * thread.
 */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    private final BrokerMetrics metrics;
    private long refused;

    ConnectionLimit(BrokerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The native commands after which the handler tracks their sender. */
    static boolean tracks(Command command) {
        return switch (command) {
            case HELLO, REQUEST, READY, SUBSCRIBE, ENQUEUE, CONSUME -> true;
            default -> false;
        };
    }

    /** What the refused peer is told in its DISCONNECT. */
    static String reason(int max) {
        return "too many connections (limits.maxConnections=" + max + ")";
    }

    /** Counts a refused peer; logs a WARN at the 1st, 2nd, 4th, 8th... refusal, DEBUG otherwise. */
    void onRefused(PeerId id, int max) {
        refused++;
        metrics.onConnectionRefused();
        if (Long.bitCount(refused) == 1) {   // visible, never a flood
            LOG.warn("peer refused, too many connections peer={} maxConnections={} total={}", id, max, refused);
        } else {
            LOG.debug("peer refused, too many connections peer={} maxConnections={} total={}", id, max, refused);
        }
    }
}
