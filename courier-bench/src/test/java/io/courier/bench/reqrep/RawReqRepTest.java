package io.courier.bench.reqrep;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.bench.RunResult;
import io.courier.testkit.ThreadLeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RawReqRepTest {

    @Test
    void shouldMeasureEveryRoundTripOfAPingPong() {
        RunResult result = RawReqRep.run(new ReqRepSettings(64, 2_000, 1, 500, Duration.ofSeconds(5)));

        assertThat(result.mode()).isEqualTo("raw");
        assertThat(result.latencies().getTotalCount()).isEqualTo(2_000);
        assertThat(result.count()).isEqualTo(2_000);
        assertThat(result.p50Micros()).isPositive();
        assertThat(result.p99Micros()).isGreaterThanOrEqualTo(result.p50Micros());
        assertThat(result.roundTripsPerSecond()).isPositive();
    }

    @Test
    void shouldKeepManyInFlight() {
        RunResult result = RawReqRep.run(new ReqRepSettings(64, 2_000, 16, 500, Duration.ofSeconds(5)));

        assertThat(result.latencies().getTotalCount()).isEqualTo(2_000);
        assertThat(result.inflight()).isEqualTo(16);
    }

    @Test
    void shouldEchoEmptyBodies() {
        RunResult result = RawReqRep.run(new ReqRepSettings(0, 500, 4, 0, Duration.ofSeconds(5)));

        assertThat(result.latencies().getTotalCount()).isEqualTo(500);
        assertThat(result.size()).isZero();
    }

    @Test
    void shouldLeaveNoThreadBehind() {
        ThreadLeakCheck threads = ThreadLeakCheck.snapshot();

        RawReqRep.run(new ReqRepSettings(64, 200, 2, 0, Duration.ofSeconds(5)));

        threads.assertNoNewThreads(Duration.ofSeconds(5));
    }
}
