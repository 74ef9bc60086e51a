package io.courier.broker.transport;

import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontend's malformed messages: each one dropped is counted (the status document's total, the metric by
 * reason) and logged, at WARN for the 1st, 2nd, 4th, 8th... and at DEBUG otherwise, so it is visible but never a
 * flood. Answering the sender, where the protocol can, is the caller's business. Confined to the broker loop thread.
 */
final class MalformedMessages {
    private static final Logger LOG = LoggerFactory.getLogger(MalformedMessages.class);

    private final BrokerCounters counters;
    private final BrokerMetrics metrics;

    MalformedMessages(BrokerCounters counters, BrokerMetrics metrics) {
        this.counters = counters;
        this.metrics = metrics;
    }

    /** A message from {@code id} was dropped; {@code reason} is the metric's label, {@code detail} for the log. */
    void dropped(PeerId id, String reason, String detail) {
        long count = counters.malformedMessage();
        metrics.onMalformed(reason);
        if (Long.bitCount(count) == 1) {   // 1st, 2nd, 4th, 8th...: visible, never a flood
            LOG.warn("malformed message dropped peer={} reason={} detail={} total={}", id, reason, detail, count);
        } else {
            LOG.debug("malformed message dropped peer={} reason={} detail={} total={}", id, reason, detail, count);
        }
    }
}
