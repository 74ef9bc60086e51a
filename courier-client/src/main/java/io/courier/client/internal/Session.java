package io.courier.client.internal;

import io.courier.client.ClientConfig;
import java.util.List;

/**
 * Liveness and failover state of one connection: the current endpoint, when to send a heartbeat, when the
 * broker counts as dead, and when to reconnect. Thread-free; confined to the connection's I/O thread, and
 * driven directly by unit tests with a manual clock (milliseconds).
 *
 * <p>Heartbeats run both ways on timers: the broker sends one to every peer each interval, and we send one when
 * nothing was sent for an interval, and also when nothing was heard for an interval (a cheap extra sign of life
 * from our side; the broker does not answer it). The interval is the smaller of our own and the broker's
 * {@code heartbeat-ms}; silence for
 * interval * liveness means the broker is dead.
 */
final class Session {
    private final List<String> endpoints;
    private final long ownIntervalMillis;
    private final int liveness;
    private final Backoff backoff;

    private int endpointIndex;
    private long intervalMillis;
    private long brokerIntervalMillis;
    private boolean open;
    private boolean heard;
    private long openedAt;
    private long lastReceived;
    private long lastSent;
    private long lastHeartbeat;
    private long reconnectAt;

    Session(ClientConfig config, Backoff backoff) {
        this.endpoints = config.endpoints();
        this.ownIntervalMillis = Math.max(1, config.heartbeatInterval().toMillis());
        this.liveness = config.heartbeatLiveness();
        this.backoff = backoff;
        this.intervalMillis = ownIntervalMillis;
        this.brokerIntervalMillis = ownIntervalMillis;
    }

    String endpoint() {
        return endpoints.get(endpointIndex);
    }

    /** A socket is connected (or connecting) to {@link #endpoint()}. */
    boolean isOpen() {
        return open;
    }

    /** The socket is open and the broker has answered within the liveness window. */
    boolean isAlive() {
        return open && heard;
    }

    long intervalMillis() {
        return intervalMillis;
    }

    /**
     * How long the broker may be silent: the liveness count of whichever interval is longer, ours or the broker's.
     * The broker heartbeats at its own pace, so a client configured with a shorter interval must not take the
     * broker's normal quiet for death.
     */
    long windowMillis() {
        return Math.max(intervalMillis, brokerIntervalMillis) * liveness;
    }

    long lastReceived() {
        return lastReceived;
    }

    /** A new socket connected to {@link #endpoint()}. */
    void onOpened(long now) {
        open = true;
        heard = false;
        intervalMillis = ownIntervalMillis;
        brokerIntervalMillis = ownIntervalMillis;
        openedAt = now;
        lastReceived = now;
        lastSent = now;
        lastHeartbeat = now;
    }

    /** Anything arrived from the broker. True when it is the first since the socket opened. */
    boolean onReceived(long now) {
        boolean first = !heard;
        heard = true;
        lastReceived = now;
        return first;
    }

    void onSent(long now) {
        lastSent = now;
    }

    /** The broker's {@code heartbeat-ms}; zero or less leaves our own interval. */
    void onWelcome(long brokerHeartbeatMillis) {
        if (brokerHeartbeatMillis > 0) {
            intervalMillis = Math.min(ownIntervalMillis, brokerHeartbeatMillis);
            brokerIntervalMillis = brokerHeartbeatMillis;
        }
    }

    boolean heartbeatDue(long now) {
        return open && now >= heartbeatDueAt();
    }

    void onHeartbeatSent(long now) {
        lastHeartbeat = now;
        lastSent = now;
    }

    /** Silence for the whole liveness window: the broker is dead. */
    boolean isExpired(long now) {
        return open && now - lastReceived >= windowMillis();
    }

    /**
     * The socket was closed. With {@code failover} the next attempt goes to the next endpoint (wrapping around),
     * otherwise to the same one. Returns the backoff delay before that attempt.
     */
    long onClosed(long now, boolean failover) {
        open = false;
        heard = false;
        if (failover) {
            endpointIndex = (endpointIndex + 1) % endpoints.size();
        }
        long delay = backoff.next();
        reconnectAt = now + delay;
        return delay;
    }

    boolean reconnectDue(long now) {
        return !open && now >= reconnectAt;
    }

    /** A connection that stayed alive for a whole window resets the backoff, so the next loss retries quickly. */
    void checkStable(long now) {
        if (open && heard && now - openedAt >= windowMillis()) {
            backoff.reset();
        }
    }

    /** When the session next needs attention: a heartbeat, the expiry of the window, or a reconnect. */
    long nextWakeAt() {
        if (!open) {
            return reconnectAt;
        }
        return Math.min(lastReceived + windowMillis(), heartbeatDueAt());
    }

    private long heartbeatDueAt() {
        long quietSince = Math.min(lastSent, lastReceived);
        return Math.max(lastHeartbeat, quietSince) + intervalMillis;
    }
}
