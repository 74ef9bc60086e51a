package io.courier.broker.stream;

import java.util.List;

/** What the streams core holds at one instant, for the status document. Immutable. */
public record StreamStatus(List<StreamView> streams, List<SubscriptionView> subscriptions) {

    /** One stream: its newest seq, its oldest retained seq ({@code headSeq + 1} when none) and what it retains. */
    public record StreamView(String name, long headSeq, long firstSeq, int retained, long retainedBytes) {
    }

    /**
     * One subscription: its peer (routing id in hex), id and prefix, whether it is catching up ({@code lagging}) or
     * live, and how many events it was sent and how many seqs it was told were lost.
     */
    public record SubscriptionView(String peer, long id, String prefix, String policy, boolean lagging,
                                   long delivered, long lost) {
    }
}
