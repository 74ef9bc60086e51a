package io.courier.broker.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.metrics.BrokerMetrics.Outcome;
import io.courier.broker.queue.QueueStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(10)
class BrokerMetricsTest {
    private final BrokerMetrics metrics = new BrokerMetrics();

    @Test
    void shouldCountRequestsByServiceAndOutcome() throws IOException {
        metrics.onRequest("echo");
        metrics.onRequest("echo");
        metrics.onRequest("time");
        metrics.onRequestDone("echo", Outcome.OK, 2_000_000);
        metrics.onRequestDone("echo", Outcome.QUEUE_FULL, 0);

        assertThat(lines(metrics)).contains(
            "# TYPE courier_requests_received_total counter",
            "courier_requests_received_total{service=\"echo\"} 2.0",
            "courier_requests_received_total{service=\"time\"} 1.0",
            "# TYPE courier_requests_total counter",
            "courier_requests_total{outcome=\"ok\",service=\"echo\"} 1.0",
            "courier_requests_total{outcome=\"queue_full\",service=\"echo\"} 1.0");
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void shouldLabelEachOutcomeInLowerCase(Outcome outcome) throws IOException {
        metrics.onRequestDone("echo", outcome, 1_000);

        String label = outcome.name().toLowerCase(Locale.ROOT);
        assertThat(lines(metrics))
            .contains("courier_requests_total{outcome=\"" + label + "\",service=\"echo\"} 1.0");
    }

    @Test
    void shouldObserveDurationsInSecondsFrom50MicrosTo10Seconds() throws IOException {
        metrics.onRequestDone("echo", Outcome.OK, 40_000);          // 40 us: first bucket
        metrics.onRequestDone("echo", Outcome.OK, 3_000_000);       // 3 ms
        metrics.onRequestDone("echo", Outcome.EXPIRED, 20_000_000_000L);  // 20 s: past the last bucket

        List<String> lines = lines(metrics);
        assertThat(lines).contains(
            "# TYPE courier_request_duration_seconds histogram",
            "courier_request_duration_seconds_bucket{service=\"echo\",le=\"5.0E-5\"} 1",
            "courier_request_duration_seconds_bucket{service=\"echo\",le=\"0.005\"} 2",
            "courier_request_duration_seconds_bucket{service=\"echo\",le=\"10.0\"} 2",
            "courier_request_duration_seconds_bucket{service=\"echo\",le=\"+Inf\"} 3",
            "courier_request_duration_seconds_count{service=\"echo\"} 3");
        assertThat(lines).filteredOn(line -> line.startsWith("courier_request_duration_seconds_bucket{"))
            .hasSize(18);
    }

    @Test
    void shouldSetGauges() throws IOException {
        metrics.onWorkers("echo", 3);
        metrics.onQueued("echo", 7);
        metrics.onQueued("echo", 5);
        metrics.onConnections(12);

        assertThat(lines(metrics)).contains(
            "# TYPE courier_workers gauge",
            "courier_workers{service=\"echo\"} 3.0",
            "# TYPE courier_queued_requests gauge",
            "courier_queued_requests{service=\"echo\"} 5.0",
            "# TYPE courier_connections gauge",
            "courier_connections 12.0");
    }

    @Test
    void shouldCountMalformedMessagesExpiriesAndSendFailures() throws IOException {
        metrics.onMalformed("too_large");
        metrics.onMalformed("too_large");
        metrics.onMalformed("bad_command");
        metrics.onHeartbeatExpired("worker");
        metrics.onSendFailed("unroutable");

        assertThat(lines(metrics)).contains(
            "courier_malformed_messages_total{reason=\"too_large\"} 2.0",
            "courier_malformed_messages_total{reason=\"bad_command\"} 1.0",
            "courier_heartbeat_expiries_total{role=\"worker\"} 1.0",
            "courier_send_failures_total{reason=\"unroutable\"} 1.0");
    }

    @Test
    void shouldShowOnlyTheSeriesAServiceUsed() throws IOException {
        metrics.onRequest("unknown");

        assertThat(lines(metrics)).noneMatch(line -> line.contains("service=\"unknown\"")
            && (line.startsWith("courier_workers") || line.startsWith("courier_request_duration")));
    }

    @Test
    void shouldReportServicesPastTheCapAsOther() throws IOException {
        for (int i = 0; i < BrokerMetrics.MAX_SERVICES + 5; i++) {
            metrics.onRequest("svc-" + i);
        }
        metrics.onRequest("svc-0");
        metrics.onRequest("svc-" + (BrokerMetrics.MAX_SERVICES + 7));

        List<String> received = lines(metrics).stream()
            .filter(line -> line.startsWith("courier_requests_received_total{"))
            .collect(Collectors.toList());
        assertThat(received)
            .hasSize(BrokerMetrics.MAX_SERVICES + 1)
            .contains("courier_requests_received_total{service=\"svc-0\"} 2.0",
                "courier_requests_received_total{service=\"svc-999\"} 1.0",
                "courier_requests_received_total{service=\"_other\"} 6.0")
            .noneMatch(line -> line.contains("svc-1000"));
    }

    @Test
    void shouldSumTheGaugesOfServicesPastTheCap() throws IOException {
        for (int i = 0; i < BrokerMetrics.MAX_SERVICES; i++) {
            metrics.onWorkers("svc-" + i, 1);
        }
        metrics.onWorkers("late-a", 2);
        metrics.onWorkers("late-b", 3);
        metrics.onWorkers("late-a", 4);
        metrics.onQueued("late-a", 9);
        metrics.onQueued("late-a", 0);

        assertThat(lines(metrics)).contains(
            "courier_workers{service=\"_other\"} 7.0",
            "courier_queued_requests{service=\"_other\"} 0.0");

        metrics.onWorkers("late-b", 0);
        assertThat(lines(metrics)).contains("courier_workers{service=\"_other\"} 4.0");
    }

    @Test
    void shouldCapReasonLabels() throws IOException {
        for (int i = 0; i < BrokerMetrics.MAX_REASONS + 1; i++) {
            metrics.onMalformed("reason_" + i);
        }

        assertThat(lines(metrics)).contains("courier_malformed_messages_total{reason=\"_other\"} 1.0");
    }

    @Test
    void shouldExportEachQueuesEarlyDedupEvictions() throws IOException {
        metrics.queues().publish(new QueueStatus(List.of(
                queue("jobs", 42), queue("mail", 0)), List.of()), Map.of());

        assertThat(lines(metrics)).contains(
            "# TYPE courier_queue_dedup_evicted_total counter",
            "courier_queue_dedup_evicted_total{queue=\"jobs\"} 42.0",
            "courier_queue_dedup_evicted_total{queue=\"mail\"} 0.0");
    }

    @Test
    void shouldKeepEachBrokerInItsOwnRegistry() throws IOException {
        BrokerMetrics other = new BrokerMetrics();
        metrics.onRequest("echo");

        assertThat(other.registry()).isNotSameAs(metrics.registry()).isNotSameAs(PrometheusRegistry.defaultRegistry);
        assertThat(lines(other)).doesNotContain("courier_requests_received_total{service=\"echo\"} 1.0");
        assertThat(text(PrometheusRegistry.defaultRegistry)).doesNotContain("courier_");
    }

    @Test
    void shouldIncludeJvmMetrics() throws IOException {
        assertThat(lines(metrics)).anyMatch(line -> line.startsWith("jvm_memory_used_bytes{"))
            .anyMatch(line -> line.startsWith("jvm_threads_current "));
    }

    @Test
    void shouldRejectNullLabels() {
        assertThatThrownBy(() -> metrics.onRequest(null)).isInstanceOf(NullPointerException.class)
            .hasMessage("service");
        assertThatThrownBy(() -> metrics.onRequestDone("echo", null, 1)).isInstanceOf(NullPointerException.class)
            .hasMessage("outcome");
    }

    private static QueueStatus.QueueView queue(String name, long dedupEvicted) {
        return new QueueStatus.QueueView(name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1_000, dedupEvicted);
    }

    private static List<String> lines(BrokerMetrics metrics) throws IOException {
        return text(metrics.registry()).lines().collect(Collectors.toList());
    }

    private static String text(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(UTF_8);
    }
}
