package io.courier.broker.stream;

/**
 * Where one subscription is in one stream when it is not live there: catching up from {@link #next} to the head
 * (a lagging or newly replaying subscription), waiting for seq {@link #next} beyond the head, or answering a
 * REPLAY up to {@link #to}. Confined to the broker loop thread.
 */
final class Cursor {
    final SubscriptionEntry sub;
    final StreamEntry stream;
    /** True for a REPLAY answer: it ends at {@link #to} and never makes the subscription live. */
    final boolean replay;
    /** The last seq of a REPLAY; unused otherwise. */
    final long to;
    /** The reason of the LOSS sent if {@link #next} is no longer retained when its turn comes. */
    final String lossReason;
    /** The next seq the subscriber gets on this stream. */
    long next;

    Cursor(SubscriptionEntry sub, StreamEntry stream, long next, boolean replay, long to, String lossReason) {
        this.sub = sub;
        this.stream = stream;
        this.next = next;
        this.replay = replay;
        this.to = to;
        this.lossReason = lossReason;
    }

    /** The last seq this cursor sends now: the REPLAY's end, or the head. */
    long end() {
        return replay ? to : stream.log.headSeq();
    }

    boolean isDone() {
        return next > end();
    }
}
