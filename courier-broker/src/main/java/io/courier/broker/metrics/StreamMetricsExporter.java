package io.courier.broker.metrics;

import io.courier.broker.stream.StreamMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The streams core's metrics in Prometheus: per stream published, delivered and lost (the {@code stream} label
 * capped like {@code service}), streams, subscriptions and lagging ones, refused publishes and slow-subscriber
 * disconnects. Called on the broker loop thread only; scrapes read from the HTTP threads.
 */
final class StreamMetricsExporter implements StreamMetrics {
    private final Counter published;
    private final Counter delivered;
    private final Counter lost;
    private final Gauge streams;
    private final Gauge subscriptions;
    private final Gauge lagging;
    private final Counter refused;
    private final Counter slowDisconnects;
    private final LabelCache<Series> series;

    StreamMetricsExporter(PrometheusRegistry registry, int maxStreams) {
        published = Counter.builder().name("courier_stream_messages_published_total")
                .help("Messages published to the stream").labelNames("stream").register(registry);
        delivered = Counter.builder().name("courier_stream_events_delivered_total")
                .help("Events of the stream sent to subscribers (live, catch-up and replay)").labelNames("stream")
                .register(registry);
        lost = Counter.builder().name("courier_stream_messages_lost_total")
                .help("Sequence numbers of the stream reported lost to subscribers (gap events)")
                .labelNames("stream").register(registry);
        streams = Gauge.builder().name("courier_streams").help("Streams the broker holds now").register(registry);
        subscriptions = Gauge.builder().name("courier_stream_subscriptions")
                .help("Courier stream subscriptions now").register(registry);
        lagging = Gauge.builder().name("courier_stream_subscriptions_lagging")
                .help("Subscriptions catching up because their subscriber fell behind").register(registry);
        refused = Counter.builder().name("courier_stream_publish_refused_total")
                .help("Publishes refused, by reason").labelNames("reason").register(registry);
        slowDisconnects = Counter.builder().name("courier_stream_slow_disconnects_total")
                .help("Subscriptions cancelled because their subscriber was too slow (policy DISCONNECT)")
                .register(registry);
        series = new LabelCache<>("stream", maxStreams, name -> new Points(published.labelValues(name),
                delivered.labelValues(name), lost.labelValues(name)));
    }

    @Override
    public Series stream(String topic) {
        return series.get(topic);
    }

    @Override
    public void onStreams(int count) {
        streams.set(count);
    }

    @Override
    public void onSubscriptions(int total, int laggingNow) {
        subscriptions.set(total);
        lagging.set(laggingNow);
    }

    @Override
    public void onPublishRefused(String reason) {
        refused.labelValues(reason).inc();
    }

    @Override
    public void onSlowDisconnect() {
        slowDisconnects.inc();
    }

    /** One stream's data points, looked up once. */
    private record Points(CounterDataPoint published, CounterDataPoint delivered, CounterDataPoint lost)
            implements Series {
        @Override
        public void onPublished() {
            published.inc();
        }

        @Override
        public void onDelivered(int events) {
            delivered.inc(events);
        }

        @Override
        public void onLost(long messages) {
            lost.inc(messages);
        }
    }
}
