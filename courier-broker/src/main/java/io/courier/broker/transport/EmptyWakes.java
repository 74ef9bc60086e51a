package io.courier.broker.transport;

/**
 * What the broker loop does after a pass that was woken before its poll timeout and found nothing to do: it gives
 * the CPU away once ({@link Thread#yield}) instead of polling again at once. Loop thread only.
 *
 * <p>Why: JeroMQ 0.6.0's {@code Signaler.send} writes a socket's wake-up byte before it counts it, and a reader that
 * finds the count unchanged leaves the byte in the channel. The write wakes the loop; on a busy machine the woken
 * loop often takes the CPU from the writer (a ZeroMQ I/O thread) right after the write, so the writer sits between
 * its write and its count while the channel stays readable. Polling again at once then spins, for milliseconds,
 * and keeps the writer from finishing: measured on two cores, a window-1 queue run made 1.6 million broker loop
 * passes for 7,000 messages, and a standalone broker burned a core under queue traffic. One yield per such pass
 * lets the writer run; when nothing else wants the CPU it returns at once. The cost, on two cores with everything
 * on one machine: the spin also kept the broker on the CPU between the messages of a request/reply ping-pong, whose
 * p99 about doubled without it. Client and worker loops do not yield: there it gave the queues little more for the
 * same cost (docs/architecture.md "Empty wake-ups").
 */
final class EmptyWakes {
    private long count;

    /**
     * Call once per pass. {@code wokenEarly}: the pass polled with a timeout above zero and the poll returned before
     * it; {@code worked}: the pass handled a command, a message or a store result. Yields, and counts, when the first
     * holds and the second does not.
     */
    void afterPass(boolean wokenEarly, boolean worked) {
        if (wokenEarly && !worked) {
            count++;
            Thread.yield();
        }
    }

    /** The passes that yielded since the loop started. */
    long count() {
        return count;
    }
}
