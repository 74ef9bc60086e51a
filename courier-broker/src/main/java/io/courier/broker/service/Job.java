package io.courier.broker.service;

import io.courier.protocol.Headers;
import io.courier.protocol.TraceIds;

/**
 * One request inside the broker, from arrival to its answer: queued in its service, then in flight on a worker,
 * then done. Mutable, confined to the broker loop thread.
 */
final class Job {
    enum State { QUEUED, IN_FLIGHT, DONE }

    final long id;
    final Service service;
    final ReplyRoute route;
    final Headers headers;
    final byte[][] body;
    final long arrivedNanos;
    final long deadlineMillis;
    State state = State.QUEUED;
    WorkerEntry worker;
    int deliveries;
    private String traceId;

    Job(long id, Service service, ReplyRoute route, Headers headers, byte[][] body, long arrivedNanos,
        long deadlineMillis) {
        this.id = id;
        this.service = service;
        this.route = route;
        this.headers = headers;
        this.body = body;
        this.arrivedNanos = arrivedNanos;
        this.deadlineMillis = deadlineMillis;
    }

    /** The trace id for log lines about this request: from its traceparent header, or made once on first use. */
    String traceId() {
        if (traceId == null) {
            traceId = TraceIds.of(headers.get(Headers.TRACEPARENT));
        }
        return traceId;
    }
}
