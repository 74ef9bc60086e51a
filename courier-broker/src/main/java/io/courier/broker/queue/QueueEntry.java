package io.courier.broker.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One queue: its settings, its ready line, its consumers and their rotation, its duplicate index and counters.
 * Every message it holds is in exactly one place: the ready line, the core's delay index, or one consumer's
 * unacked map. Mutable, confined to the broker loop thread.
 */
final class QueueEntry {
    final String name;
    QueueSettings settings;
    String deadLetterQueue;
    /** Declared with its own settings; otherwise it follows the core's defaults. */
    boolean declared;
    final ReadyQueue ready = new ReadyQueue();
    final List<ConsumerEntry> consumers = new ArrayList<>();
    /** Consumers with credit that are not blocked, the next one to serve first. */
    final ArrayDeque<ConsumerEntry> rotation = new ArrayDeque<>();
    final DedupIndex dedup = new DedupIndex();
    long nextSeq = 1;
    /** Held now: ready, delayed and in flight. */
    int messages;
    long bytes;
    int delayed;
    int unacked;
    /** Waiting in the core's list of queues to deliver from. */
    boolean touched;
    long enqueued;
    long duplicates;
    long refused;
    long acked;
    long redelivered;
    long deadLettered;
    long expired;
    long dropped;
    long replayed;

    QueueEntry(String name, QueueSettings settings) {
        this.name = name;
        settings(settings);
    }

    void settings(QueueSettings value) {
        settings = value;
        deadLetterQueue = value.deadLetterQueueOf(name);
    }

    /** Whether one more message of {@code size} bytes stays within the limits. */
    boolean fits(long size) {
        return messages < settings.maxMessages() && bytes + size <= settings.maxBytes();
    }

    String fullDetail(long size) {
        if (messages >= settings.maxMessages()) {
            return "queue '" + name + "' holds " + messages + " messages, the most allowed [maxMessages="
                    + settings.maxMessages() + "]";
        }
        return "queue '" + name + "' holds " + bytes + " bytes and the message has " + size + " [maxBytes="
                + settings.maxBytes() + "]";
    }

    /** Puts {@code consumer} last in the rotation if it can take a message now. */
    void offer(ConsumerEntry consumer) {
        if (!consumer.inRotation && !consumer.blocked && !consumer.detached && consumer.hasCredit()) {
            consumer.inRotation = true;
            rotation.addLast(consumer);
        }
    }
}
