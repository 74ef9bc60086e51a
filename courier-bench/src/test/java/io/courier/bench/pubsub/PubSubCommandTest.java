package io.courier.bench.pubsub;

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
class PubSubCommandTest {
    private static final String[] RUN_KEYS = {"mode", "msgs_per_s", "slowest_msgs_per_s", "published_per_s",
        "delivered", "lost", "reported_lost", "missing", "gaps", "count", "size", "subscribers", "warmup",
        "elapsed_s", "p50_us", "p99_us", "max_us"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        CommandLine cmd = new CommandLine(new BenchCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void shouldDeliverEveryRawMessageToEverySubscriber() throws Exception {
        int code = bench("pubsub", "--raw", "--count", "5000", "--warmup", "1000", "--subscribers", "2", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode run = new ObjectMapper().readTree(out.toString());
        assertThat(run.fieldNames()).toIterable().contains(RUN_KEYS);
        assertThat(run.get("mode").asText()).isEqualTo("raw");
        assertThat(run.get("count").asLong()).isEqualTo(5_000);
        assertThat(run.get("subscribers").asInt()).isEqualTo(2);
        assertThat(run.get("delivered").asLong()).isEqualTo(2 * 6_000);
        assertThat(run.get("lost").asLong()).isZero();
        assertThat(run.get("msgs_per_s").asDouble()).isPositive();
        assertThat(run.get("p50_us").asDouble()).isPositive();
    }

    @Test
    void shouldHoldThePublisherToTheRateAndMeasureLatency() throws Exception {
        int code = bench("pubsub", "--raw", "--count", "1000", "--warmup", "0", "--rate", "2000", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode run = new ObjectMapper().readTree(out.toString());
        assertThat(run.get("rate").asInt()).isEqualTo(2_000);
        assertThat(run.get("elapsed_s").asDouble()).as("1,000 messages at 2,000/s").isGreaterThanOrEqualTo(0.49);
        assertThat(run.get("p50_us").asDouble()).isPositive();
        assertThat(run.get("lost").asLong()).isZero();
    }

    @Test
    void shouldDeliverEveryStreamMessageThroughTheBroker() throws Exception {
        int code = bench("pubsub", "--count", "3000", "--warmup", "500", "--subscribers", "2", "--window", "256",
                "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode run = new ObjectMapper().readTree(out.toString());
        assertThat(run.get("mode").asText()).isEqualTo("courier");
        assertThat(run.get("delivered").asLong()).isEqualTo(2 * 3_500);
        assertThat(run.get("lost").asLong()).isZero();
        assertThat(run.get("gaps").asLong()).isZero();
        assertThat(run.get("published_per_s").asDouble()).isPositive();
        assertThat(run.get("slowest_msgs_per_s").asDouble()).isPositive();
        assertThat(run.get("p99_us").asDouble()).isPositive();
    }

    @Test
    void shouldPrintEveryRunAndTheRatiosWhenComparing() throws Exception {
        int code = bench("pubsub", "--compare", "--count", "2000", "--warmup", "0", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("raw").get("mode").asText()).isEqualTo("raw");
        assertThat(root.get("plain").get("mode").asText()).isEqualTo("plain");
        assertThat(root.get("courier").get("mode").asText()).isEqualTo("courier");
        assertThat(root.get("courier").fieldNames()).toIterable().contains(RUN_KEYS);
        assertThat(root.get("ratio").get("msgs_per_s").asDouble()).isPositive();
        assertThat(root.get("ratio").get("plain_msgs_per_s").asDouble()).isPositive();
        assertThat(root.get("targets")).hasSize(2);
        assertThat(root.get("targets").get(0).get("limit").asDouble()).isEqualTo(1.0);
        assertThat(root.get("targets").get(1).get("name").asText()).isEqualTo("courier lost 0");
        assertThat(root.get("targets").get(1).get("met").asBoolean()).isTrue();
    }

    @Test
    void shouldPrintAReadableReportSayingWhatWasLost() {
        int code = bench("pubsub", "--plain", "--count", "1000", "--warmup", "0", "--size", "0");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pubsub plain", "msgs/s per subscriber", "lost 0", "0 B bodies");
    }

    @Test
    void shouldRefuseBadNumbersNamingTheOption() {
        assertThat(bench("pubsub", "--raw", "--count", "0")).isEqualTo(2);
        assertThat(bench("pubsub", "--subscribers", "0")).isEqualTo(2);
        assertThat(bench("pubsub", "--subscribers", "65")).isEqualTo(2);
        assertThat(bench("pubsub", "--size", "-1")).isEqualTo(2);
        assertThat(bench("pubsub", "--warmup", "-5")).isEqualTo(2);
        assertThat(bench("pubsub", "--window", "0")).isEqualTo(2);
        assertThat(bench("pubsub", "--rate", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate must be >= 0 (0: as fast as possible), got -1",
                "--count must be >= 1, got 0", "--subscribers must be 1 to 64, got 0",
                "--subscribers must be 1 to 64, got 65", "--size must be 0 to 1048576 bytes, got -1",
                "--warmup must be >= 0, got -5", "--window must be 1 to 100000, got 0", "Usage:");
    }

    @Test
    void shouldRefuseAnInvalidTimeoutOrBroker() {
        assertThat(bench("pubsub", "--timeout", "soon")).isEqualTo(2);
        assertThat(bench("pubsub", "--timeout", "0s")).isEqualTo(2);
        assertThat(bench("pubsub", "--broker", "localhost:5555")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid duration 'soon'", "--timeout", "--broker");
    }

    @Test
    void shouldRefuseConflictingModes() {
        assertThat(bench("pubsub", "--raw", "--compare")).isEqualTo(2);
        assertThat(bench("pubsub", "--raw", "--plain")).isEqualTo(2);
        assertThat(bench("pubsub", "--raw", "--broker", "tcp://127.0.0.1:5555")).isEqualTo(2);
        assertThat(bench("pubsub", "--plain", "--broker", "tcp://127.0.0.1:5555")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive", "cannot be used with --raw",
                "cannot be used with --plain");
    }

    @Test
    void shouldShowAnExampleInItsHelp() {
        assertThat(bench("pubsub", "--help")).isZero();
        assertThat(out.toString()).contains("courier bench pubsub --compare", "--subscribers");
    }
}
