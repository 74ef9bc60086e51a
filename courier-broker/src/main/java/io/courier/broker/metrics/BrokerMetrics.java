package io.courier.broker.metrics;

/**
 * The broker's Prometheus metrics ({@code courier_} names). Update methods are called on the broker loop thread
 * ({@code courier-broker}) and must be cheap: no locks beyond what the Prometheus client does, no allocation
 * per call where it can be avoided. Scrapes read from the HTTP threads.
 */
public final class BrokerMetrics {
    /** How a request ended, the {@code outcome} label of {@code courier_requests_total}. */
    public enum Outcome { OK, SERVICE_ERROR, EXPIRED, UNKNOWN_SERVICE, QUEUE_FULL, TOO_LARGE, UNAVAILABLE }

    public BrokerMetrics() {
        // stub: filled in with the registry and the metric families
    }

    /** A request for {@code service} arrived (any protocol). */
    public void onRequest(String service) {
    }

    /** A request ended with {@code outcome}, {@code nanos} after it arrived. */
    public void onRequestDone(String service, Outcome outcome, long nanos) {
    }

    /** {@code service} has {@code count} workers now. */
    public void onWorkers(String service, int count) {
    }

    /** {@code service} has {@code count} requests waiting for a worker now. */
    public void onQueued(String service, int count) {
    }

    /** A malformed message was dropped or refused; {@code reason} is a short label like {@code too_large}. */
    public void onMalformed(String reason) {
    }

    /** A peer ({@code worker} or {@code client}) went silent past the liveness window and was dropped. */
    public void onHeartbeatExpired(String role) {
    }

    /** The broker knows {@code count} peers now. */
    public void onConnections(int count) {
    }

    /** A send to a peer failed ({@code unroutable} or {@code full}). */
    public void onSendFailed(String reason) {
    }
}
