package io.courier.broker.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.broker.metrics.BrokerStats;
import io.courier.broker.stream.StreamStatus;
import io.courier.broker.service.RouterStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status document ({@code courier status}, the native STATUS command, {@code /status}) as JSON. Built on
 * the broker loop thread from what it holds; stateless and thread-safe.
 */
public final class StatusDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusDocument() {
    }

    /**
     * Loads and links the JSON writer now, so that the first status query does not stall the broker loop for the
     * hundreds of milliseconds class loading takes (long enough to miss heartbeats). Call before the loop starts.
     */
    public static void warmUp() {
        toJson("warm-up", 0, Map.of("frontend", "-"), new RouterStatus(List.of(
                new RouterStatus.ServiceView("s", 1, 1, 0, 0, 0)), List.of(
                new RouterStatus.WorkerView("s", "courier", "w", 1, 0, 0))),
                new BrokerStats(0, 0, 0, 0, 0, 0, 0, 0, 0), 0,
                new StreamStatus(List.of(new StreamStatus.StreamView("t", 1, 1, 1, 1)), List.of(
                new StreamStatus.SubscriptionView("p", 1, "", "LAG", false, 1, 0))));
    }

    /** The document; {@code endpoints} maps frontend, publish, subscribe and http to what is bound. */
    public static String toJson(String brokerId, long uptimeSeconds, Map<String, String> endpoints,
                                RouterStatus router, BrokerStats stats, int clients, StreamStatus streams) {
        return toJson(brokerId, uptimeSeconds, endpoints, router, stats, clients, streams, List.of(), null);
    }

    /**
     * The document with durable queues: {@code queues} (one map per queue, docs/protocol.md 10.12) and
     * {@code store} (null when the broker has none: the field is left out).
     */
    public static String toJson(String brokerId, long uptimeSeconds, Map<String, String> endpoints,
                                RouterStatus router, BrokerStats stats, int clients, StreamStatus streams,
                                List<Map<String, Object>> queues, Map<String, Object> store) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("brokerId", brokerId);
        doc.put("uptimeSeconds", uptimeSeconds);
        doc.put("endpoints", endpoints);
        doc.put("services", router.services().stream().map(StatusDocument::service).toList());
        doc.put("workers", router.workers().stream().map(StatusDocument::worker).toList());
        doc.put("streams", streams.streams().stream().map(StatusDocument::stream).toList());
        doc.put("subscriptions", streams.subscriptions().stream().map(StatusDocument::subscription).toList());
        doc.put("queues", queues);
        if (store != null) {
            doc.put("store", store);
        }
        doc.put("clients", clients);
        doc.put("connections", stats.connections());
        doc.put("queuedRequests", stats.queuedRequests());
        doc.put("inFlightRequests", stats.inFlightRequests());
        doc.put("requests", stats.requests());
        doc.put("malformedMessages", stats.malformedMessages());
        doc.put("loop", Map.of("passes", stats.loopPasses(), "emptyWakes", stats.emptyWakes()));
        doc.put("process", process());
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status document could not be written", e);
        }
    }

    /** The broker process's CPU time so far, all threads (-1 where the platform does not say): cost per message. */
    private static Map<String, Object> process() {
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        return Map.of("cpuSeconds", cpuMillis < 0 ? -1.0 : cpuMillis / 1_000.0);
    }

    private static Map<String, Object> stream(StreamStatus.StreamView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("headSeq", s.headSeq());
        m.put("firstSeq", s.firstSeq());
        m.put("retained", s.retained());
        m.put("retainedBytes", s.retainedBytes());
        return m;
    }

    private static Map<String, Object> subscription(StreamStatus.SubscriptionView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peer", s.peer());
        m.put("id", s.id());
        m.put("prefix", s.prefix());
        m.put("policy", s.policy());
        m.put("lagging", s.lagging());
        m.put("delivered", s.delivered());
        m.put("lost", s.lost());
        return m;
    }

    private static Map<String, Object> service(RouterStatus.ServiceView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("workers", s.workers());
        m.put("capacity", s.capacity());
        m.put("busy", s.busy());
        m.put("queued", s.queued());
        m.put("requests", s.requests());
        return m;
    }

    private static Map<String, Object> worker(RouterStatus.WorkerView w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", w.service());
        m.put("protocol", w.protocol());
        m.put("name", w.name());
        m.put("capacity", w.capacity());
        m.put("busy", w.busy());
        m.put("completed", w.completed());
        return m;
    }
}
