package io.courier.broker.metrics;

import io.courier.broker.queue.QueueStatus;
import io.courier.store.StoreMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Durable queues and the store in Prometheus. Per queue (label {@code queue}, the first {@value #MAX_QUEUES} names
 * in name order, the rest summed under {@code _other}): depth, unacked, consumers, and counters since the broker
 * started. The broker loop publishes a snapshot of the queue core at most once a second and scrapes read it, so the
 * loop pays nothing per message. The store's hooks are called on the store's writer thread and go straight to
 * histograms (thread-safe, lock-free).
 */
public final class QueueMetricsExporter {
    /** How many distinct queues get series of their own. */
    public static final int MAX_QUEUES = 1_000;
    private static final double[] LATENCY_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    };
    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 4_096};
    private static final double NANOS_PER_SECOND = 1e9;

    /** One queue's figures as last published. */
    private record Sample(String name, long depth, long unacked, long consumers, long enqueued, long confirmed,
                          long duplicates, long refused, long acked, long redelivered, long deadLettered,
                          long expired, long dedupEvicted) {
    }

    private final Histogram writeSeconds;
    private final Histogram syncSeconds;
    private final Histogram batchWrites;
    private final Counter rejected;
    private volatile List<Sample> samples = List.of();
    private volatile LongSupplier pendingWrites = () -> 0;
    private volatile LongSupplier writeFailures = () -> 0;

    QueueMetricsExporter(PrometheusRegistry registry) {
        gauge(registry, "courier_queue_depth", "Messages waiting in the queue (ready and delayed) now",
                Sample::depth);
        gauge(registry, "courier_queue_unacked", "Messages of the queue delivered and not yet acked now",
                Sample::unacked);
        gauge(registry, "courier_queue_consumers", "Consumers attached to the queue now", Sample::consumers);
        counter(registry, "courier_queue_enqueued_total",
                "Messages the queue took: from producers, dead-lettered into it, replayed into it", Sample::enqueued);
        counter(registry, "courier_queue_confirmed_total", "Enqueues confirmed to producers once stored",
                Sample::confirmed);
        counter(registry, "courier_queue_duplicates_total",
                "Enqueues answered as duplicates (producer message id seen within the dedup window)",
                Sample::duplicates);
        counter(registry, "courier_queue_refused_total", "Enqueues refused because the queue was full (429)",
                Sample::refused);
        counter(registry, "courier_queue_acked_total", "Messages acked by consumers", Sample::acked);
        counter(registry, "courier_queue_redelivered_total", "Deliveries of messages handed out before",
                Sample::redelivered);
        counter(registry, "courier_queue_dead_lettered_total",
                "Messages the queue moved to its dead-letter queue (rejected, max deliveries, expired)",
                Sample::deadLettered);
        counter(registry, "courier_queue_expired_total", "Messages whose time to live passed while waiting",
                Sample::expired);
        counter(registry, "courier_queue_dedup_evicted_total",
                "Producer message ids forgotten before their dedup window ended because dedupMaxIds were held",
                Sample::dedupEvicted);
        writeSeconds = histogram(registry, "courier_store_write_seconds",
                "Time to apply one group commit to the store's log and memtables, before any fsync");
        syncSeconds = histogram(registry, "courier_store_sync_seconds", "Time of one fsync of the store's log");
        batchWrites = Histogram.builder().name("courier_store_batch_writes")
                .help("Writes carried by one group commit").classicOnly().classicUpperBounds(BATCH_BUCKETS)
                .register(registry);
        rejected = Counter.builder().name("courier_store_rejected_total")
                .help("Store writes refused because store.mailboxCapacity writes were pending").register(registry);
        GaugeWithCallback.builder().name("courier_store_pending_writes")
                .help("Store writes submitted and not yet durable").callback(cb -> cb.call(pendingWrites.getAsLong()))
                .register(registry);
        CounterWithCallback.builder().name("courier_store_write_failures_total")
                .help("Store writes that failed (disk errors, back-pressure)")
                .callback(cb -> cb.call(writeFailures.getAsLong())).register(registry);
    }

    /** The hooks to give the store: any thread, never blocking. */
    public StoreMetrics storeHooks() {
        return new StoreMetrics() {
            @Override
            public void onBatch(int writes, long writeNanos, long syncNanos) {
                if (writes > 0) {
                    batchWrites.observe(writes);
                    writeSeconds.observe(writeNanos / NANOS_PER_SECOND);
                }
                if (syncNanos > 0) {
                    syncSeconds.observe(syncNanos / NANOS_PER_SECOND);
                }
            }

            @Override
            public void onRejected() {
                rejected.inc();
            }
        };
    }

    /** Where the store's pending writes and write failures are read at scrape time. Any thread. */
    public void onStore(LongSupplier pending, LongSupplier failures) {
        pendingWrites = pending;
        writeFailures = failures;
    }

    /** A new snapshot of the queues, with each queue's confirmed enqueues. Broker loop thread. */
    public void publish(QueueStatus status, Map<String, Long> confirmed) {
        List<Sample> next = new ArrayList<>(Math.min(status.queues().size(), MAX_QUEUES + 1));
        Sample other = null;
        for (QueueStatus.QueueView q : status.queues()) {
            Sample s = new Sample(q.name(), q.depth(), q.unacked(), q.consumers(), q.enqueued(),
                    confirmed.getOrDefault(q.name(), 0L), q.duplicates(), q.refused(), q.acked(), q.redelivered(),
                    q.deadLettered(), q.expired(), q.dedupEvicted());
            if (next.size() < MAX_QUEUES) {
                next.add(s);
            } else {
                other = other == null ? rename(s) : add(other, s);
            }
        }
        if (other != null) {
            next.add(other);
        }
        samples = List.copyOf(next);
    }

    private static Sample rename(Sample s) {
        return add(new Sample(LabelCache.OTHER, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), s);
    }

    private static Sample add(Sample a, Sample b) {
        return new Sample(a.name(), a.depth() + b.depth(), a.unacked() + b.unacked(), a.consumers() + b.consumers(),
                a.enqueued() + b.enqueued(), a.confirmed() + b.confirmed(), a.duplicates() + b.duplicates(),
                a.refused() + b.refused(), a.acked() + b.acked(), a.redelivered() + b.redelivered(),
                a.deadLettered() + b.deadLettered(), a.expired() + b.expired(), a.dedupEvicted() + b.dedupEvicted());
    }

    private void gauge(PrometheusRegistry registry, String name, String help, ToLongFunction<Sample> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("queue").callback(cb -> {
            for (Sample s : samples) {
                cb.call(value.applyAsLong(s), s.name());
            }
        }).register(registry);
    }

    private void counter(PrometheusRegistry registry, String name, String help, ToLongFunction<Sample> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("queue").callback(cb -> {
            for (Sample s : samples) {
                cb.call(value.applyAsLong(s), s.name());
            }
        }).register(registry);
    }

    private static Histogram histogram(PrometheusRegistry registry, String name, String help) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS).register(registry);
    }
}
