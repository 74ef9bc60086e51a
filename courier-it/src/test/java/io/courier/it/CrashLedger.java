package io.courier.it;

import io.courier.client.QueueDelivery;
import io.courier.core.CourierException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The books of {@link QueueCrashIT}'s repeated-kill test: which message ids were sent and confirmed, and every copy
 * the consumer got. Thread-safe: producers' callbacks and the consumer's handler write, the test thread reads.
 *
 * <p>A copy is stamped with the broker run it came from, told by its delivery tag: the broker numbers deliveries
 * from 1 at every start and the test has a single consumer, so a tag not above the previous one means a new broker
 * process. This holds whatever the timing, unlike a stamp taken from a clock or from the kill counter.
 */
final class CrashLedger {
    /** One copy of a message as the consumer's handler saw it. */
    record Copy(int run, long seq, long tag, int deliveries) {
    }

    /** The duplicates, sorted by what explains them; {@code unexplained} names each copy nothing explains. */
    record Duplicates(int afterRestart, int withinRun, int storedAgain, int countNotRaised, List<String> unexplained) {
        int total() {
            return afterRestart + withinRun + storedAgain + unexplained.size();
        }
    }

    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, List<Copy>> copies = new ConcurrentHashMap<>();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicLong lastTag = new AtomicLong();
    private final AtomicInteger run = new AtomicInteger();

    void sent(String id) {
        sent.add(id);
    }

    /** Returns the number of confirms so far, this one included. */
    int confirmed(String id) {
        confirmed.add(id);
        return confirmed.size();
    }

    void failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String reason = cause instanceof CourierException e ? e.reason().name() : cause.getClass().getSimpleName();
        failures.merge(reason, 1, Integer::sum);
    }

    /** The consumer's handler: one delivery at a time, in arrival order. Records the copy, then acks it. */
    void onDelivery(QueueDelivery delivery) {
        if (delivery.tag() <= lastTag.get()) {
            run.incrementAndGet();   // tags restart at 1 in a new broker process
        }
        lastTag.set(delivery.tag());
        copies.computeIfAbsent(delivery.bodyAsString(), id -> new CopyOnWriteArrayList<>())
                .add(new Copy(run.get(), delivery.seq(), delivery.tag(), delivery.deliveries()));
        delivered.incrementAndGet();
        delivery.ack();
    }

    Set<String> sentIds() {
        return Set.copyOf(sent);
    }

    Set<String> confirmedIds() {
        return Set.copyOf(confirmed);
    }

    Set<String> deliveredIds() {
        return Set.copyOf(copies.keySet());
    }

    int deliveredCount() {
        return delivered.get();
    }

    int runsSeen() {
        return run.get() + 1;
    }

    Map<String, Integer> failures() {
        return Map.copyOf(failures);
    }

    /**
     * Sorts every copy after a message's first: redelivered after a restart (same seq, an earlier broker process
     * handed it out and died before the ack was stored), redelivered within one run (same seq, the broker counted
     * one more hand-out: a lost session or an ack timeout), stored again (a new seq in a later run: a resend whose
     * first copy was acked before the restart, so the restarted broker's duplicate window no longer had its id),
     * or unexplained. {@code countNotRaised} counts the restart redeliveries whose delivery count did not go up
     * (the count's store update is written after the hand-out and may die with the process).
     */
    Duplicates duplicates() {
        int afterRestart = 0;
        int withinRun = 0;
        int storedAgain = 0;
        int countNotRaised = 0;
        List<String> unexplained = new ArrayList<>();
        for (Map.Entry<String, List<Copy>> entry : copies.entrySet()) {
            List<Copy> list = entry.getValue();
            for (int i = 1; i < list.size(); i++) {
                Copy previous = list.get(i - 1);
                Copy copy = list.get(i);
                boolean sameSeq = copy.seq() == previous.seq();
                if (sameSeq && copy.run() > previous.run()) {
                    afterRestart++;
                    countNotRaised += copy.deliveries() > previous.deliveries() ? 0 : 1;
                } else if (sameSeq && copy.deliveries() > previous.deliveries()) {
                    withinRun++;
                } else if (copy.run() > previous.run()) {
                    storedAgain++;
                } else {
                    unexplained.add(entry.getKey() + " " + list);
                }
            }
        }
        return new Duplicates(afterRestart, withinRun, storedAgain, countNotRaised, unexplained);
    }
}
