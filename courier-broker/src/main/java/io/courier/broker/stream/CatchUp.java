package io.courier.broker.stream;

import io.courier.protocol.SlowPolicy;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The catch-up passes. Subscriptions with a backlog (lagging after a full queue, replaying history after
 * SUBSCRIBE, answering a REPLAY) wait in a round-robin queue; each pass sends at most a batch of messages, shared
 * fairly among them, from the retained logs, and a cursor whose next seq was evicted first gets one LOSS up to the
 * oldest retained seq. A catch-up cursor that reaches the head makes its subscription live on that stream at
 * once, on this same thread, so nothing published in between is missed or sent twice. Confined to the broker loop
 * thread.
 */
final class CatchUp {
    private final EventSink sink;
    private final Consumer<SubscriptionEntry> onTooSlow;
    private final ArrayDeque<SubscriptionEntry> queue = new ArrayDeque<>();
    private boolean blocked;
    private long delivered;
    private long lost;

    /** {@code onTooSlow} cancels a DISCONNECT-policy subscription whose send was refused. */
    CatchUp(EventSink sink, Consumer<SubscriptionEntry> onTooSlow) {
        this.sink = sink;
        this.onTooSlow = onTooSlow;
    }

    void enqueue(SubscriptionEntry sub) {
        if (!sub.queued && !sub.closed) {
            sub.queued = true;
            queue.addLast(sub);
        }
    }

    void remove(SubscriptionEntry sub) {
        if (sub.queued) {
            sub.queued = false;
            queue.remove(sub);
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    long delivered() {
        return delivered;
    }

    long lost() {
        return lost;
    }

    /**
     * One pass of at most {@code batch} sends. Each round gives every waiting subscription an equal share of
     * what is left; rounds repeat while sends succeed. Returns true when the whole batch was used, so more work
     * may be ready at once; false when the rest are blocked by full queues or done.
     */
    boolean run(int batch) {
        int budget = batch;
        boolean progress = true;
        while (budget > 0 && progress && !queue.isEmpty()) {
            progress = false;
            int waiting = queue.size();
            for (int i = 0; i < waiting && budget > 0 && !queue.isEmpty(); i++) {
                SubscriptionEntry sub = queue.pollFirst();
                sub.queued = false;
                int used = serve(sub, Math.max(1, budget / (waiting - i)));
                budget -= used;
                progress |= used > 0 && !blocked;
                if (!sub.closed && sub.isLagging()) {
                    enqueue(sub);
                }
            }
        }
        return budget <= 0;
    }

    /** Sends at most {@code quota} messages of {@code sub}'s backlog, turning from stream to stream. */
    private int serve(SubscriptionEntry sub, int quota) {
        blocked = false;
        int used = 0;
        while (used < quota && !sub.backlog.isEmpty()) {
            Cursor c = sub.backlog.peekFirst();
            used += advance(c, quota - used);
            if (blocked || sub.closed) {
                break;
            }
            sub.backlog.pollFirst();
            if (c.isDone()) {
                finish(c);
            } else {
                sub.backlog.addLast(c);   // its quota is spent: another stream goes first next time
            }
        }
        return used;
    }

    /** Sends from {@code c} until it is done, a send is refused, or {@code max} sends were tried. */
    private int advance(Cursor c, int max) {
        SubscriptionEntry sub = c.sub;
        StreamEntry stream = c.stream;
        RetainedLog log = stream.log;
        long end = c.end();
        int used = 0;
        if (c.next < log.firstSeq() && c.next <= end) {
            long lossTo = Math.min(log.firstSeq() - 1, end);
            used++;
            if (!sink.loss(sub.peer, sub.id, stream.topic, c.next, lossTo, c.lossReason)) {
                refused(sub);
                return used;
            }
            long count = lossTo - c.next + 1;
            sub.lost += count;
            lost += count;
            stream.metrics.onLost(count);
            c.next = lossTo + 1;
        }
        int sent = 0;
        while (used < max && c.next <= end) {
            used++;
            StreamMessage message = log.get(c.next);
            if (!(c.replay ? sink.replayEvent(sub.peer, sub.id, message) : sink.event(sub.peer, sub.id, message))) {
                refused(sub);
                break;
            }
            c.next++;
            sent++;
        }
        if (sent > 0) {
            sub.delivered += sent;
            delivered += sent;
            stream.metrics.onDelivered(sent);
        }
        return used;
    }

    private void refused(SubscriptionEntry sub) {
        blocked = true;
        if (sub.policy == SlowPolicy.DISCONNECT) {
            onTooSlow.accept(sub);
        }
    }

    /** A cursor is done: a REPLAY ends; a catch-up makes the subscription live on its stream, from the next seq. */
    private static void finish(Cursor c) {
        if (c.replay) {
            c.sub.replays--;
        } else {
            c.sub.clearCursor(c.stream);
            c.stream.live = null;
        }
    }
}
