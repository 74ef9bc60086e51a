package io.courier.broker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A {@link RequestRouter} on a manual clock, with helpers to send requests, register workers and check the
 * {@link BrokerCounters}. The clock starts at an arbitrary origin and moves only when a test says so.
 */
final class RouterFixture {
    static final long START_NANOS = 7_000_000_123_456L;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration UNKNOWN_SERVICE_WAIT = Duration.ofSeconds(1);
    static final int MAX_QUEUED = 100;
    static final Headers HEADERS = Headers.of(Map.of(Headers.TRACEPARENT, "00-trace-span-01"));

    final BrokerCounters counters = new BrokerCounters();
    final BrokerMetrics metrics = new BrokerMetrics();
    final RequestRouter router;
    private long nowNanos = START_NANOS;

    RouterFixture() {
        this(DEFAULT_TIMEOUT, UNKNOWN_SERVICE_WAIT, MAX_QUEUED);
    }

    RouterFixture(Duration defaultTimeout, Duration unknownServiceWait, int maxQueuedPerService) {
        router = new RequestRouter(new RouterSettings(defaultTimeout, unknownServiceWait, maxQueuedPerService),
                metrics, counters, () -> nowNanos);
    }

    long nowMillis() {
        return nowNanos / 1_000_000;
    }

    void advanceMillis(long millis) {
        nowNanos += millis * 1_000_000;
    }

    /** Runs the due timers now; returns when they next need to run. */
    long runTimers() {
        return router.onTimers(nowMillis());
    }

    /** Moves the clock on, then runs the due timers. */
    long advanceAndRunTimers(long millis) {
        advanceMillis(millis);
        return runTimers();
    }

    /** A request with the default deadline and a one-frame body. */
    FakeReplyRoute request(String service, String payload) {
        return request(service, 0, payload);
    }

    FakeReplyRoute request(String service, int timeoutMillis, String payload) {
        FakeReplyRoute route = new FakeReplyRoute();
        router.onRequest(service, timeoutMillis, HEADERS, body(payload), route);
        return route;
    }

    /** Registers a worker, which must be accepted. */
    FakeWorkerLink ready(PeerId id, String service, int capacity) {
        FakeWorkerLink link = new FakeWorkerLink();
        assertThat(router.onReady(id, link, service, capacity, "worker-" + id)).as("onReady of %s", id).isTrue();
        return link;
    }

    /** The worker's final reply to its job; must be accepted. */
    void done(PeerId id, long jobId, String payload) {
        assertThat(router.onDone(id, jobId, Headers.EMPTY, body(payload))).as("onDone of %s", id).isTrue();
    }

    void fail(PeerId id, long jobId, String reason) {
        assertThat(router.onFail(id, jobId, ErrorCode.SERVICE_ERROR, reason)).as("onFail of %s", id).isTrue();
    }

    void assertCounters(long services, long workers, long queued, long inFlight) {
        assertThat(counters.snapshot().services()).as("services").isEqualTo(services);
        assertThat(counters.snapshot().workers()).as("workers").isEqualTo(workers);
        assertThat(counters.queuedRequests()).as("queuedRequests").isEqualTo(queued);
        assertThat(counters.inFlightRequests()).as("inFlightRequests").isEqualTo(inFlight);
    }

    static PeerId peer(String name) {
        return new PeerId(name.getBytes(StandardCharsets.UTF_8));
    }

    static byte[][] body(String text) {
        return new byte[][] {text.getBytes(StandardCharsets.UTF_8)};
    }

    /** The frames as UTF-8 text, joined with {@code |}. */
    static String text(byte[][] frames) {
        StringJoiner joined = new StringJoiner("|");
        for (byte[] frame : frames) {
            joined.add(new String(frame, StandardCharsets.UTF_8));
        }
        return joined.toString();
    }
}
