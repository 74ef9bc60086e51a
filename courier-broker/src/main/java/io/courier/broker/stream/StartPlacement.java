package io.courier.broker.stream;

import io.courier.protocol.StreamStart;

/**
 * Where a new subscription starts in a stream: the first seq its start asks for, and whether that makes it live,
 * waiting for the stream to reach it, or catching up from the retained log. Stateless; called on the broker loop
 * thread by {@link StreamCore}.
 */
final class StartPlacement {
    private StartPlacement() {
    }

    /**
     * Sets where {@code sub} starts in {@code stream}: live when {@code from} is the next seq, waiting when it is
     * beyond, catching up (with a LOSS first if {@code from} is no longer retained) when it is at or below the head.
     */
    static void place(SubscriptionEntry sub, StreamEntry stream, long from) {
        long head = stream.log.headSeq();
        if (from == head + 1) {
            return;
        }
        Cursor cursor = new Cursor(sub, stream, from, false, 0, StreamCore.NOT_RETAINED);
        sub.setCursor(cursor);
        if (from > head + 1) {
            stream.addWaiter(cursor);
        } else {
            sub.backlog.addLast(cursor);
        }
    }

    /** The first seq a subscription starting at {@code start} ({@code value} for SEQ and TIME) wants. */
    static long startSeq(RetainedLog log, StreamStart start, long value) {
        return switch (start) {
            case NOW -> log.headSeq() + 1;
            case FIRST -> log.firstSeq();
            case LAST -> log.count() > 0 ? log.headSeq() : log.headSeq() + 1;
            case SEQ -> Math.max(1, value);
            case TIME -> log.fromTime(value);
        };
    }
}
