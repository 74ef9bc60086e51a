package io.courier.bench.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.bench.BenchCommand;
import io.courier.bench.InProcessBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(60)
class QueueCommandTest {
    private static final String[] KEYS = {"mode", "sync", "size", "producers", "consumers", "window", "prefetch",
        "warmup", "count", "confirmed_per_s", "confirm_p50_us", "confirm_p99_us", "confirm_p999_us", "confirm_max_us",
        "confirm_elapsed_s", "acked_per_s", "e2e_confirmed_per_s", "e2e_confirm_p99_us", "lost", "duplicates",
        "elapsed_s", "targets"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void shouldConfirmAndDeliverEveryMessageWithoutSync() throws Exception {
        int code = bench("queue", "--sync", "never", "--count", "3000", "--warmup", "500", "--producers", "2",
                "--consumers", "2", "--window", "100", "--prefetch", "32", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode run = new ObjectMapper().readTree(out.toString());
        assertThat(run.fieldNames()).toIterable().contains(KEYS);
        assertThat(run.get("mode").asText()).isEqualTo("in-process");
        assertThat(run.get("sync").asText()).isEqualTo("never");
        assertThat(run.get("count").asLong()).isEqualTo(3_000);
        assertThat(run.get("producers").asInt()).isEqualTo(2);
        assertThat(run.get("consumers").asInt()).isEqualTo(2);
        assertThat(run.get("lost").asLong()).isZero();
        assertThat(run.get("duplicates").asLong()).isZero();
        assertThat(run.get("confirmed_per_s").asDouble()).isPositive();
        assertThat(run.get("acked_per_s").asDouble()).isPositive();
        assertThat(run.get("confirm_p50_us").asDouble()).isPositive();
        assertThat(run.get("confirm_max_us").asDouble())
                .isGreaterThanOrEqualTo(run.get("confirm_p99_us").asDouble());
        JsonNode targets = run.get("targets");
        assertThat(targets).hasSize(4);
        assertThat(targets.get(0).get("name").asText()).contains("confirmed/s >= 100,000");
        assertThat(targets.get(0).get("limit").asDouble()).isEqualTo(100_000);
        assertThat(targets.get(1).get("limit").asDouble()).isEqualTo(10_000);
        assertThat(targets.get(3).get("name").asText()).isEqualTo("lost 0");
        assertThat(targets.get(3).get("met").asBoolean()).isTrue();
    }

    @Test
    void shouldFsyncBeforeConfirmingByDefaultAndPrintAReadableReport() {
        int code = bench("queue", "--count", "2000", "--warmup", "200");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("queue in-process (sync always)", "confirmed msgs/s", "p99.9",
                "acked msgs/s", "lost 0", "duplicates 0", "target lost 0");
    }

    @Test
    void shouldMeasureARunningBroker() throws Exception {
        try (InProcessBroker broker = InProcessBroker.start()) {
            int code = bench("queue", "--broker", broker.broker().frontendEndpoint(), "--count", "1000",
                    "--warmup", "0", "--json");

            assertThat(code).as(err.toString()).isZero();
            JsonNode run = new ObjectMapper().readTree(out.toString());
            assertThat(run.get("mode").asText()).isEqualTo("broker");
            assertThat(run.get("warmup").asInt()).isZero();
            assertThat(run.get("lost").asLong()).isZero();
        }
    }

    @Test
    void shouldRefuseBadNumbersNamingTheOption() {
        assertThat(bench("queue", "--count", "0")).isEqualTo(2);
        assertThat(bench("queue", "--size", "-1")).isEqualTo(2);
        assertThat(bench("queue", "--warmup", "-5")).isEqualTo(2);
        assertThat(bench("queue", "--producers", "0")).isEqualTo(2);
        assertThat(bench("queue", "--consumers", "65")).isEqualTo(2);
        assertThat(bench("queue", "--window", "0")).isEqualTo(2);
        assertThat(bench("queue", "--prefetch", "0")).isEqualTo(2);
        assertThat(bench("queue", "--count", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("--count must be >= 1, got 0", "--size must be 0 to 1048576 bytes, got -1",
                "--warmup must be >= 0, got -5", "--producers must be 1 to 64, got 0",
                "--consumers must be 1 to 64, got 65", "--window must be 1 to 100000, got 0",
                "--prefetch must be 1 to 10000, got 0", "'many' is not an int", "Usage:");
    }

    @Test
    void shouldRefuseABadSyncPolicyTimeoutOrBroker() {
        assertThat(bench("queue", "--sync", "sometimes")).isEqualTo(2);
        assertThat(bench("queue", "--timeout", "0s")).isEqualTo(2);
        assertThat(bench("queue", "--broker", "localhost:5555")).isEqualTo(2);
        assertThat(bench("queue", "--broker", "tcp://127.0.0.1:5555", "--sync", "never")).isEqualTo(2);
        assertThat(err.toString()).contains("--sync must be always, interval or never, got sometimes", "--timeout",
                "--broker", "--sync applies to the in-process broker only");
    }

    @Test
    void shouldShowAnExampleInItsHelp() {
        assertThat(bench("queue", "--help")).isZero();
        assertThat(out.toString()).contains("courier bench queue --sync never", "--producers", "--window", "--sync");
        out.getBuffer().setLength(0);
        assertThat(bench("--help")).isZero();
        assertThat(out.toString()).contains("queue", "courier bench queue --sync always --json");
    }
}
