package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The request/reply report's text and JSON, with made-up runs: the layout users and scripts read. */
class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** 1,000 round trips of {@code base} to {@code base} + 10 us in 0.5 s; CPU times -1 when unknown. */
    private static RunResult run(String mode, int inflight, long base, long cpu, long brokerCpu, int idle) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 1000; i++) {
            h.recordValue(base + i * 10L);
        }
        return new RunResult(mode, 64, inflight, 100, 1000, 500_000_000L, h, cpu, brokerCpu, idle);
    }

    private final RunResult raw = run("raw", 1, 20_000, 200_000_000L, -1, 0);
    private final RunResult courier = run("courier", 1, 45_000, 450_000_000L, -1, 0);

    @Test
    void shouldShowOneRunInFourLines() {
        assertThat(Report.text("reqrep", raw)).isEqualTo(
                "reqrep raw: 64 B bodies, 1,000 round trips measured after 100 warm-up, 1 in flight\n"
                + "  latency us   p50 25.0   p99 29.9   p99.9 30.0   max 30.0   mean 25.0\n"
                + "  throughput   2,000 msgs/s (round trips) over 0.5 s\n"
                + "  cpu          200.00 s per million round trips (this process)\n");
    }

    @Test
    void shouldShowBothRunsTheirRatiosAndThePingPongTargets() {
        Comparison<RunResult> c = new Comparison<>(raw, null, courier);

        assertThat(Report.text("reqrep", c)).isEqualTo(Report.text("reqrep", raw) + Report.text("reqrep", courier)
                + "courier/raw  p50 2.00x   p99 1.84x   throughput 1.00x   cpu 2.25x\n"
                + "  target p50 courier/raw <= 2.0x                2.00  MISSED\n"
                + "  target p99 courier/raw <= 3.0x                1.84  met\n");
    }

    @Test
    void shouldWriteAComparisonAsOneJsonObject() throws Exception {
        JsonNode root = JSON.readTree(Report.json(new Comparison<>(raw, null, courier)));

        assertThat(root.fieldNames()).toIterable().containsExactly("courier", "raw", "ratio", "targets");
        assertThat(root.get("courier")).isEqualTo(JSON.readTree(Report.json(courier)));
        assertThat(root.get("ratio").toString()).isEqualTo("{\"p50\":2.001,\"p99\":1.836,\"msgs_per_s\":1.0,"
                + "\"cpu\":2.25}");
        assertThat(root.get("targets").toString()).isEqualTo("[{\"name\":\"p50 courier/raw <= 2.0x\","
                + "\"value\":2.001,\"limit\":2.0,\"met\":false},{\"name\":\"p99 courier/raw <= 3.0x\",\"value\":1.836,"
                + "\"limit\":3.0,\"met\":true}]");
    }

    @Test
    void shouldLeaveOutAnUnknownCpuRatioAndApplyTheThroughputTargetAt64InFlight() throws Exception {
        Comparison<RunResult> c = new Comparison<>(run("raw", 64, 20_000, -1, -1, 0), null,
                run("courier", 64, 70_000, -1, 300_000_000L, 20));

        assertThat(Report.text("reqrep", c)).endsWith(
                "  broker cpu   272.73 s per million round trips (its own process, warm-up included)\n"
                + "courier/raw  p50 3.00x   p99 2.67x   throughput 1.00x   cpu NaNx\n"
                + "  target throughput courier/raw >= 0.5x         1.00  met\n");
        JsonNode root = JSON.readTree(Report.json(c));
        assertThat(root.get("ratio").toString()).isEqualTo("{\"p50\":3.001,\"p99\":2.673,\"msgs_per_s\":1.0}");
        assertThat(root.get("targets").toString()).isEqualTo("[{\"name\":\"throughput courier/raw >= 0.5x\","
                + "\"value\":1.0,\"limit\":0.5,\"met\":true}]");
    }

    @Test
    void shouldApplyNoTargetBetweenOneAnd64InFlight() {
        Comparison<RunResult> c = new Comparison<>(run("raw", 4, 20_000, -1, -1, 0), null,
                run("courier", 4, 40_000, -1, -1, 0));

        assertThat(ReqRepTargets.of(c)).isEmpty();
        assertThat(Report.text("reqrep", c)).endsWith("cpu NaNx\n");
    }
}
