package io.courier.broker.stream;

/**
 * The streams core's counters at one instant (totals since start, and sizes now). Immutable.
 *
 * @param streams            streams now
 * @param subscriptions      subscriptions now
 * @param lagging            subscriptions catching up or replaying now
 * @param published          messages published
 * @param delivered          EVENTs sent, live, catch-up and REPLAY
 * @param lost               seqs reported in LOSS
 * @param refused            publishes refused (too many streams)
 * @param slowDisconnects    DISCONNECT-policy subscriptions cancelled for a full queue
 * @param retainedMessages   messages in the retained logs now
 * @param retainedBytes      bytes in the retained logs now
 */
public record StreamStats(int streams, int subscriptions, int lagging, long published, long delivered, long lost,
                          long refused, long slowDisconnects, long retainedMessages, long retainedBytes) {
}
