package io.courier.bench.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.bench.Comparison;
import org.junit.jupiter.api.Test;

/** The pub/sub report's comparison, text and JSON, with made-up runs: the layout users and scripts read. */
class PubSubReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PubSubResult run(String mode, int subscribers, double rate, long lost, long missing, long gaps) {
        return new PubSubResult(mode, 64, subscribers, 1000, 10_000, rate, rate * 0.9, rate * 1.1,
                11_000L * subscribers - lost - missing, lost, missing, gaps, 0.25,
                new PubSubResult.Latency(12.5, 80.25, 1234.5), 0);
    }

    private final PubSubResult raw = run("raw", 1, 1_000_000, 0, 0, 0);
    private final PubSubResult plain = run("plain", 1, 800_000, 0, 0, 0);
    private final PubSubResult courier = run("courier", 1, 900_000, 0, 0, 0);

    @Test
    void shouldShowEveryRunTheRatiosAndTheTargetsOfOneSubscriber() {
        Comparison<PubSubResult> c = new Comparison<>(raw, plain, courier);

        assertThat(PubSubReport.text(c)).isEqualTo(PubSubReport.text(raw) + PubSubReport.text(plain)
                + PubSubReport.text(courier)
                + "courier/raw  msgs/s 0.90x   plain/raw  msgs/s 0.80x\n"
                + "  target msgs/s courier/raw >= 1.0x                   0.90  MISSED\n"
                + "  target courier lost 0                               0.00  met\n");
    }

    @Test
    void shouldWriteEveryRunAndTheRatiosAsOneJsonObject() throws Exception {
        JsonNode root = JSON.readTree(PubSubReport.json(new Comparison<>(raw, plain, courier)));

        assertThat(root.fieldNames()).toIterable().containsExactly("raw", "plain", "courier", "ratio", "targets");
        assertThat(root.get("plain")).isEqualTo(JSON.readTree(PubSubReport.json(plain)));
        assertThat(root.get("ratio").toString()).isEqualTo("{\"msgs_per_s\":0.9,\"plain_msgs_per_s\":0.8}");
        assertThat(root.get("targets").toString()).isEqualTo("[{\"name\":\"msgs/s courier/raw >= 1.0x\","
                + "\"value\":0.9,\"limit\":1.0,\"met\":false},{\"name\":\"courier lost 0\",\"value\":0.0,"
                + "\"limit\":0.0,\"met\":true}]");
    }

    @Test
    void shouldHoldSeveralSubscribersToTheFanOutTargetAndCountEveryLoss() throws Exception {
        PubSubResult raw4 = run("raw", 4, 500_000, 0, 0, 0);
        PubSubResult courier4 = run("courier", 4, 400_000, 3, 2, 1);
        Comparison<PubSubResult> c = new Comparison<>(raw4, null, courier4);

        assertThat(PubSubReport.text(c)).isEqualTo(PubSubReport.text(raw4) + PubSubReport.text(courier4)
                + "courier/raw  msgs/s 0.80x\n"
                + "  target msgs/s courier/raw >= 0.7x                   0.80  met\n"
                + "  target courier lost 0                               6.00  MISSED\n");
        JsonNode root = JSON.readTree(PubSubReport.json(c));
        assertThat(root.fieldNames()).toIterable().containsExactly("raw", "courier", "ratio", "targets");
        assertThat(root.get("ratio").toString()).isEqualTo("{\"msgs_per_s\":0.8}");
        assertThat(root.get("targets").get(1).toString()).isEqualTo("{\"name\":\"courier lost 0\",\"value\":6.0,"
                + "\"limit\":0.0,\"met\":false}");
    }
}
