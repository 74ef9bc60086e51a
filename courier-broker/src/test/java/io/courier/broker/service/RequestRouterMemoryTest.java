package io.courier.broker.service;

import static io.courier.broker.service.RouterFixture.peer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Many requests that end while queued must not leave memory behind: answered jobs are dropped from the service
 * queue, stale timers from the timer heap, empty services from the router. Sizes are read with
 * {@link RouterInternals}; the bound checked is the router's own slack (1,024) plus twice what is live.
 */
@Timeout(30)
class RequestRouterMemoryTest {
    private static final int REQUESTS = 20_000;   // well past the compaction slack (1,024) of queue and timers
    private static final byte[][] BODY = RouterFixture.body("payload");
    private static final int SLACK = 1_024;
    private static final Logger ROUTER_LOG = (Logger) LoggerFactory.getLogger(RequestRouter.class);
    private static Level routerLogLevel;

    /** 100k requests would log 100k DEBUG lines per test under the default test logging; these tests are on memory. */
    @BeforeAll
    static void quietRouterLog() {
        routerLogLevel = ROUTER_LOG.getLevel();
        ROUTER_LOG.setLevel(Level.INFO);
    }

    @AfterAll
    static void restoreRouterLog() {
        ROUTER_LOG.setLevel(routerLogLevel);
    }

    @Test
    void shouldForgetRequestsThatExpireWithNoWorker() {
        RouterFixture fx = new RouterFixture(Duration.ofSeconds(5), Duration.ofMinutes(1), REQUESTS);
        CountingRoute route = new CountingRoute();
        int maxTimers = 0;
        int maxQueueEntries = 0;

        for (int i = 0; i < REQUESTS; i++) {
            fx.router.onRequest("nobody", 50, Headers.EMPTY, BODY, route);   // deadline before the 1 min wait
            fx.advanceAndRunTimers(1);
            maxTimers = Math.max(maxTimers, RouterInternals.timers(fx.router));
            maxQueueEntries = Math.max(maxQueueEntries, RouterInternals.queueEntries(fx.router, "nobody"));
        }
        assertThat(fx.advanceAndRunTimers(50)).isEqualTo(Long.MAX_VALUE);

        assertThat(route.errors(ErrorCode.EXPIRED)).isEqualTo(REQUESTS);
        assertThat(route.answers()).isEqualTo(REQUESTS);
        assertThat(maxTimers).as("timer heap at most").isLessThanOrEqualTo(2 * 51 + SLACK);
        assertThat(maxQueueEntries).as("queue entries at most").isLessThanOrEqualTo(2 * 51 + SLACK);
        assertEmpty(fx);
    }

    @Test
    void shouldForgetABurstOfRequestsThatExpireTogether() {
        RouterFixture fx = new RouterFixture(Duration.ofSeconds(5), Duration.ofMinutes(1), REQUESTS);
        CountingRoute route = new CountingRoute();
        for (int i = 0; i < REQUESTS; i++) {
            fx.router.onRequest("nobody", 0, Headers.EMPTY, BODY, route);
        }
        fx.assertCounters(1, 0, REQUESTS, 0);
        assertThat(fx.request("nobody", "one-more").onlyErrorCode()).isEqualTo(ErrorCode.QUEUE_FULL);

        assertThat(fx.advanceAndRunTimers(5_000)).isEqualTo(Long.MAX_VALUE);

        assertThat(route.errors(ErrorCode.EXPIRED)).isEqualTo(REQUESTS);
        assertEmpty(fx);
    }

    @Test
    void shouldForgetRequestsAnsweredUnknownServiceWhileTheirDeadlinesAreFarOff() {
        RouterFixture fx = new RouterFixture(Duration.ofMinutes(1), Duration.ofMillis(10), REQUESTS);
        CountingRoute route = new CountingRoute();
        int maxTimers = 0;

        for (int i = 0; i < REQUESTS; i++) {
            fx.router.onRequest("nobody", 0, Headers.EMPTY, BODY, route);   // each leaves a deadline 1 min out
            fx.advanceAndRunTimers(1);
            maxTimers = Math.max(maxTimers, RouterInternals.timers(fx.router));
        }
        fx.advanceAndRunTimers(10);

        assertThat(route.errors(ErrorCode.UNKNOWN_SERVICE)).isEqualTo(REQUESTS);
        assertThat(maxTimers).as("timer heap at most").isLessThanOrEqualTo(2 * 2 * 11 + SLACK);
        assertEmpty(fx);
    }

    @Test
    void shouldForgetRequestsThatExpireBehindABusyWorker() {
        RouterFixture fx = new RouterFixture(Duration.ofSeconds(5), Duration.ofSeconds(1), REQUESTS);
        PeerId id = peer("stuck");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        fx.request("echo", 0, "never-answered");
        CountingRoute route = new CountingRoute();
        int maxTimers = 0;
        int maxQueueEntries = 0;

        for (int i = 0; i < REQUESTS; i++) {
            fx.router.onRequest("echo", 20, Headers.EMPTY, BODY, route);
            fx.advanceAndRunTimers(1);
            maxTimers = Math.max(maxTimers, RouterInternals.timers(fx.router));
            maxQueueEntries = Math.max(maxQueueEntries, RouterInternals.queueEntries(fx.router, "echo"));
        }
        fx.advanceAndRunTimers(20);

        assertThat(route.errors(ErrorCode.EXPIRED)).isEqualTo(REQUESTS);
        assertThat(maxTimers).as("timer heap at most").isLessThanOrEqualTo(2 * 21 + SLACK);
        assertThat(maxQueueEntries).as("queue entries at most").isLessThanOrEqualTo(2 * 21 + SLACK);
        fx.assertCounters(1, 1, 0, 1);
        assertThat(RouterInternals.queueEntries(fx.router, "echo")).isLessThanOrEqualTo(SLACK);
        assertThat(worker.jobs).hasSize(1);
    }

    @Test
    void shouldForgetTimersOfRequestsServedFromTheQueue() {
        RouterFixture fx = new RouterFixture(Duration.ofMinutes(1), Duration.ofSeconds(1), REQUESTS);
        PeerId id = peer("w1");
        FakeWorkerLink worker = fx.ready(id, "echo", 1);
        CountingRoute route = new CountingRoute();
        fx.router.onRequest("echo", 0, Headers.EMPTY, BODY, route);
        int maxTimers = 0;

        for (int i = 0; i < REQUESTS; i++) {
            fx.router.onRequest("echo", 0, Headers.EMPTY, BODY, route);   // queued behind the one in flight
            fx.router.onDone(id, worker.lastJob().jobId(), Headers.EMPTY, BODY);   // frees the slot: sent
            fx.advanceAndRunTimers(1);
            maxTimers = Math.max(maxTimers, RouterInternals.timers(fx.router));
        }

        assertThat(route.replies).isEqualTo(REQUESTS);
        assertThat(worker.jobs).hasSize(REQUESTS + 1);
        assertThat(maxTimers).as("stale timers of served requests at most").isLessThanOrEqualTo(2 + SLACK + 1);
        fx.assertCounters(1, 1, 0, 1);
    }

    private static void assertEmpty(RouterFixture fx) {
        fx.assertCounters(0, 0, 0, 0);
        assertThat(fx.router.status().services()).isEmpty();
        assertThat(RouterInternals.timers(fx.router)).as("timers left").isLessThanOrEqualTo(SLACK);
    }

    /** One route shared by many requests; counts answers instead of keeping them. */
    private static final class CountingRoute implements ReplyRoute {
        private final Map<ErrorCode, Integer> errors = new EnumMap<>(ErrorCode.class);
        int replies;

        @Override
        public void reply(Headers headers, byte[][] body) {
            replies++;
        }

        @Override
        public void error(ErrorCode code, String reason) {
            errors.merge(code, 1, Integer::sum);
        }

        @Override
        public String protocol() {
            return "courier";
        }

        int errors(ErrorCode code) {
            return errors.getOrDefault(code, 0);
        }

        int answers() {
            return replies + errors.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
