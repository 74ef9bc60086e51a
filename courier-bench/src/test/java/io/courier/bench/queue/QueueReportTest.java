package io.courier.bench.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The queue report's targets, text and JSON, with a made-up run that misses them all. */
class QueueReportTest {
    private final QueueResult missed = new QueueResult("broker", "broker's own", 0, 1, 1, 1000, 256, 0, 1000, 50_000,
            new QueueResult.Latency(8000, 14000, 19000, 22000), 0.02, 10_000, 40_000,
            new QueueResult.Latency(9000, 15000, 19500, 23000), 4, 2, 0.1);

    @Test
    void shouldShowEachTargetOnALineAfterThePhases() {
        assertThat(QueueReport.text(missed)).endsWith("lost 4  duplicates 2\n"
                + "  target confirmed/s >= 100,000                    50000  MISSED\n"
                + "  target confirm p99 < 10 ms (us)                  14000  MISSED\n"
                + "  target acked/s >= 5x RabbitMQ (75,000)           10000  MISSED\n"
                + "  target lost 0                                        4  MISSED\n");
    }

    @Test
    void shouldWriteTheTargetsLastInTheJsonObject() throws Exception {
        String targets = new ObjectMapper().readTree(QueueReport.json(missed)).get("targets").toString();

        assertThat(targets).isEqualTo("[{\"name\":\"confirmed/s >= 100,000\",\"value\":50000.0,\"limit\":100000.0,"
                + "\"met\":false},{\"name\":\"confirm p99 < 10 ms (us)\",\"value\":14000.0,\"limit\":10000.0,"
                + "\"met\":false},{\"name\":\"acked/s >= 5x RabbitMQ (75,000)\",\"value\":10000.0,\"limit\":75000.0,"
                + "\"met\":false},{\"name\":\"lost 0\",\"value\":4.0,\"limit\":0.0,\"met\":false}]");
    }
}
