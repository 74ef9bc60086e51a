package io.courier.client.internal;

import io.courier.client.SubscribeOptions;
import io.courier.client.StreamEvent;
import io.courier.client.StreamLoss;
import io.courier.protocol.StreamDurability;
import io.courier.protocol.StreamStart;
import io.courier.protocol.codec.NativeMessage.Subscribe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The client's side of one subscription: its streams' {@link TopicSequence}s, whether the broker has it on the
 * current session, and whether it is paused because its listener fell behind. Thread-free; confined to the
 * connection's I/O thread. Releases go to the {@link StreamSink} (the handle), REPLAYs to the core.
 */
final class SubscriptionState {
    /** Set once the broker restarted under this subscription: see {@link #toWire()}. */
    private boolean afterRestart;
    private final long id;
    private final String prefix;
    private final SubscribeOptions options;
    private final StreamSink sink;
    private final StreamClientCore core;
    private final Map<String, TopicSequence> topics = new HashMap<>();
    private boolean paused;
    private boolean subscribed;
    private boolean sentOnSession;
    private boolean removed;

    SubscriptionState(long id, String prefix, SubscribeOptions options, StreamSink sink, StreamClientCore core) {
        this.id = id;
        this.prefix = prefix;
        this.options = options;
        this.sink = sink;
        this.core = core;
    }

    long id() {
        return id;
    }

    String prefix() {
        return prefix;
    }

    SubscribeOptions options() {
        return options;
    }

    StreamSink sink() {
        return sink;
    }

    /** The stream's sequence, made on its first message. */
    TopicSequence topic(String topic) {
        return topics.computeIfAbsent(topic, t -> new TopicSequence(t, this));
    }

    /** The stream's sequence if it has one. */
    TopicSequence existing(String topic) {
        return topics.get(topic);
    }

    int maxBuffered() {
        return options.maxBufferedEvents();
    }

    boolean isPaused() {
        return paused;
    }

    boolean hasRoom() {
        return sink.hasRoom();
    }

    boolean isSubscribed() {
        return subscribed;
    }

    /** The broker confirmed; true the first time. */
    boolean markSubscribed() {
        boolean first = !subscribed;
        subscribed = true;
        return first;
    }

    boolean sentOnSession() {
        return sentOnSession;
    }

    void sentOnSession(boolean value) {
        sentOnSession = value;
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    void deliver(StreamEvent event) {
        sink.onEvent(event);
    }

    void lost(StreamLoss loss) {
        sink.onLoss(loss);
    }

    void replay(TopicSequence topic, long from, long to) {
        core.sendReplay(this, topic, from, to);
    }

    void armReplayTimer(TopicSequence topic) {
        core.armReplayTimer(topic);
    }

    /** The listener fell behind: drop messages until it catches up, then replay them. */
    void pause() {
        if (!paused) {
            paused = true;
            core.onPaused(this);
        }
    }

    /** True once the listener has caught up and every stream released what it held (it may pause again). */
    boolean tryResume() {
        if (!sink.canResume()) {
            return false;
        }
        paused = false;
        for (TopicSequence topic : new ArrayList<>(topics.values())) {
            topic.resume();
            if (paused) {
                return false;
            }
        }
        return true;
    }

    /** Re-sent on a new session: time each outstanding gap afresh, as the resume map replays it. */
    void onResubscribed() {
        topics.values().forEach(TopicSequence::onResubscribed);
    }

    /**
     * The broker restarted: every known stream it does not keep in its store ({@code durable}) is reported lost
     * from its next seq on and forgotten; durable ones keep their numbering, and the resume map picks them up
     * where they were.
     */
    void restart(String reason, StreamDurability durable) {
        afterRestart = true;
        List<StreamLoss> lost = new ArrayList<>();
        for (Iterator<TopicSequence> it = topics.values().iterator(); it.hasNext(); ) {
            TopicSequence topic = it.next();
            if (durable.isDurable(topic.topic())) {
                continue;
            }
            StreamLoss loss = topic.restartLoss(reason);
            if (loss != null) {
                lost.add(loss);
            }
            it.remove();
        }
        paused = false;
        lost.forEach(sink::onLoss);
    }

    /**
     * True when the SUBSCRIBE of this session asked for new messages only, so that the heads the broker answers
     * mark where each stream starts. After a broker restart it asks for everything retained instead (see
     * {@link #toWire()}): then nothing the new broker holds may be skipped, whatever the subscription's start.
     */
    boolean startsAfterHeads() {
        return !afterRestart && options.start() == StreamStart.NOW;
    }

    /**
     * The SUBSCRIBE for a new session, resuming every known stream after its last released seq. After a broker
     * restart the rest start from the first retained message: everything the new broker holds was published
     * after this subscription began, so none of it may be skipped.
     */
    Subscribe toWire() {
        Map<String, Long> resume = new HashMap<>();
        for (TopicSequence topic : topics.values()) {
            if (topic.last() != TopicSequence.NONE) {
                resume.put(topic.topic(), topic.last() + 1);
            }
        }
        StreamStart start = afterRestart ? StreamStart.FIRST : options.start();
        long startValue = afterRestart ? 0 : options.startValue();
        return new Subscribe(id, prefix, start, startValue, options.policy(), resume);
    }
}
