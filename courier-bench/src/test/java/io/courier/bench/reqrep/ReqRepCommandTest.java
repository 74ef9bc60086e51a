package io.courier.bench.reqrep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.bench.BenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(60)
class ReqRepCommandTest {
    private static final String[] RUN_KEYS = {"mode", "p50_us", "p99_us", "p999_us", "msgs_per_s", "count", "size",
        "inflight"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void shouldPrintOneJsonObjectForARawRun() throws Exception {
        int code = bench("reqrep", "--raw", "--count", "2000", "--warmup", "500", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode run = new ObjectMapper().readTree(out.toString());
        assertThat(run.fieldNames()).toIterable().contains(RUN_KEYS);
        assertThat(run.get("mode").asText()).isEqualTo("raw");
        assertThat(run.get("count").asLong()).isEqualTo(2_000);
        assertThat(run.get("size").asInt()).isEqualTo(64);
        assertThat(run.get("inflight").asInt()).isEqualTo(1);
        assertThat(run.get("p50_us").asDouble()).isPositive();
        assertThat(run.get("msgs_per_s").asDouble()).isPositive();
    }

    @Test
    void shouldPrintBothRunsAndTheirRatiosWhenComparing() throws Exception {
        int code = bench("reqrep", "--compare", "--count", "2000", "--warmup", "500", "--inflight", "64", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("courier").get("mode").asText()).isEqualTo("courier");
        assertThat(root.get("raw").get("mode").asText()).isEqualTo("raw");
        assertThat(root.get("courier").fieldNames()).toIterable().contains(RUN_KEYS);
        assertThat(root.get("ratio").get("p50").asDouble()).isPositive();
        assertThat(root.get("ratio").get("msgs_per_s").asDouble()).isPositive();
        assertThat(root.get("courier").get("cpu_s_per_million").asDouble()).isPositive();
        assertThat(root.get("ratio").get("cpu").asDouble()).isPositive();
        // the broker ran in this process: its CPU is in the bench's, not reported apart
        assertThat(root.get("courier").has("broker_cpu_s_per_million")).isFalse();
        assertThat(root.get("targets")).hasSize(1);   // throughput: the one target for 64 in flight
    }

    @Test
    void shouldMeasureWithIdleClientsConnected() throws Exception {
        int code = bench("reqrep", "--compare", "--count", "1000", "--warmup", "200", "--inflight", "4",
                "--idle-clients", "20", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("courier").get("idle_clients").asInt()).isEqualTo(20);
        assertThat(root.get("raw").get("idle_clients").asInt()).isZero();
        assertThat(root.get("courier").get("msgs_per_s").asDouble()).isPositive();
    }

    @Test
    void shouldRefuseIdleClientsOutOfRangeOrWithRaw() {
        assertThat(bench("reqrep", "--idle-clients", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--idle-clients must be 0 to 10000, got -1");
        assertThat(bench("reqrep", "--raw", "--idle-clients", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--idle-clients applies to the run through the broker");
    }

    @Test
    void shouldPrintAReadableReport() {
        int code = bench("reqrep", "--raw", "--count", "1000", "--warmup", "0", "--size", "0");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("reqrep raw", "p50", "p99.9", "msgs/s", "0 B bodies");
    }

    @Test
    void shouldRefuseANegativeCount() {
        assertThat(bench("reqrep", "--raw", "--count", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--count must be >= 1, got -1", "Usage:");
    }

    @Test
    void shouldRefuseNoRequestInFlight() {
        assertThat(bench("reqrep", "--inflight", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--inflight must be 1 to 1024, got 0");
    }

    @Test
    void shouldRefuseANegativeSizeOrWarmup() {
        assertThat(bench("reqrep", "--size", "-1")).isEqualTo(2);
        assertThat(bench("reqrep", "--warmup", "-5")).isEqualTo(2);
        assertThat(err.toString()).contains("--size must be 0 to 1048576 bytes, got -1",
                "--warmup must be >= 0, got -5");
    }

    @Test
    void shouldRefuseAnInvalidTimeoutOrBroker() {
        assertThat(bench("reqrep", "--timeout", "soon")).isEqualTo(2);
        assertThat(bench("reqrep", "--broker", "localhost:5555")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid duration 'soon'", "--broker");
    }

    @Test
    void shouldRefuseRawWithCompareOrWithABroker() {
        assertThat(bench("reqrep", "--raw", "--compare")).isEqualTo(2);
        assertThat(bench("reqrep", "--raw", "--broker", "tcp://127.0.0.1:5555")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive", "cannot be used with --raw");
    }

    @Test
    void shouldAskForASubcommand() {
        assertThat(bench()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing subcommand", "reqrep");
    }
}
