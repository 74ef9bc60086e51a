package io.courier.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.broker.metrics.BrokerStats;
import io.courier.broker.stream.StreamStatus;
import io.courier.broker.service.RouterStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StatusDocumentTest {
    @Test
    void shouldReportTheProcessCpuTimeForTheCostPerMessage() throws Exception {
        String json = StatusDocument.toJson("b", 1, Map.of("frontend", "tcp://127.0.0.1:1"),
                new RouterStatus(List.of(), List.of()), new BrokerStats(0, 0, 0, 0, 0, 0, 0, 3, 1), 0,
                new StreamStatus(List.of(), List.of()));

        JsonNode doc = new ObjectMapper().readTree(json);

        assertThat(doc.path("loop").path("passes").asLong()).isEqualTo(3);
        // this JVM has run code by now: on Linux, macOS and Windows the JDK knows its CPU time
        assertThat(doc.path("process").path("cpuSeconds").asDouble()).isGreaterThan(0.0);
    }
}
