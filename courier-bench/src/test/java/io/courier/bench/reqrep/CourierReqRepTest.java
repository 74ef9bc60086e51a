package io.courier.bench.reqrep;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.bench.RunResult;
import io.courier.broker.Broker;
import io.courier.broker.config.BrokerConfig;
import io.courier.testkit.ThreadLeakCheck;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CourierReqRepTest {

    @Test
    void shouldMeasureEveryRoundTripThroughAnInProcessBroker() {
        RunResult result = CourierReqRep.run(new ReqRepSettings(64, 2_000, 1, 500, Duration.ofSeconds(5)), null,
                false);

        assertThat(result.mode()).isEqualTo("courier");
        assertThat(result.latencies().getTotalCount()).isEqualTo(2_000);
        assertThat(result.p50Micros()).isPositive();
        assertThat(result.p999Micros()).isGreaterThanOrEqualTo(result.p99Micros());
        assertThat(result.roundTripsPerSecond()).isPositive();
    }

    @Test
    void shouldKeepManyInFlightThroughTheBroker() {
        RunResult result = CourierReqRep.run(new ReqRepSettings(64, 2_000, 16, 500, Duration.ofSeconds(5)), null,
                false);

        assertThat(result.latencies().getTotalCount()).isEqualTo(2_000);
        assertThat(result.inflight()).isEqualTo(16);
    }

    @Test
    void shouldRunHandlerAndCallbacksInlineWhenAsked() {
        RunResult result = CourierReqRep.run(new ReqRepSettings(64, 2_000, 16, 500, Duration.ofSeconds(5)), null,
                true);

        assertThat(result.mode()).isEqualTo("courier-inline");
        assertThat(result.latencies().getTotalCount()).isEqualTo(2_000);
    }

    @Test
    void shouldUseTheBrokerGiven(@TempDir Path data) {
        try (Broker broker = Broker.start(BrokerConfig.ephemeral(data))) {
            RunResult result = CourierReqRep.run(new ReqRepSettings(16, 500, 4, 100, Duration.ofSeconds(5)),
                    broker.frontendEndpoint(), false);

            assertThat(result.latencies().getTotalCount()).isEqualTo(500);
            assertThat(broker.stats().requests()).isGreaterThanOrEqualTo(601);   // first reply, warm-up, measured
        }
    }

    @Test
    void shouldCloseBrokerWorkerAndClient() {
        ThreadLeakCheck threads = ThreadLeakCheck.snapshot();

        CourierReqRep.run(new ReqRepSettings(0, 200, 2, 0, Duration.ofSeconds(5)), null, false);

        threads.assertNoNewThreads(Duration.ofSeconds(5));
    }
}
