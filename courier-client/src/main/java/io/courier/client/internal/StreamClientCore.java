package io.courier.client.internal;

import io.courier.client.StreamEvent;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.StreamDurability;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Event;
import io.courier.protocol.codec.NativeMessage.EventBatch;
import io.courier.protocol.codec.NativeMessage.Loss;
import io.courier.protocol.codec.NativeMessage.PubAck;
import io.courier.protocol.codec.NativeMessage.PubAckBatch;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.Replay;
import io.courier.protocol.codec.NativeMessage.Subscribed;
import io.courier.protocol.codec.NativeMessage.Unsubscribe;
import io.courier.protocol.codec.NativeMessage.Unsubscribed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams logic of a client connection: publishes (through {@link Publisher}) and subscriptions: SUBSCRIBE on
 * every new session (after WELCOME, resuming each known stream after its last released seq), SUBSCRIBED, EVENT,
 * LOSS and UNSUBSCRIBED, REPLAY timers, paused subscriptions, and the broker-restart rule: a WELCOME whose
 * {@code broker-id} differs from the last one reports every known stream lost and starts its numbering afresh.
 *
 * <p>Thread-free: confined to the {@code courier-client-N} thread and driven by unit tests with a manual clock.
 * The one exception is {@link #unsubscribeLater}, which any thread may call.
 */
final class StreamClientCore {
    static final String RESTARTED = "broker restarted; sequence numbers restart";
    /** How often a paused subscription, or a SUBSCRIBE that found the socket full, is looked at again. */
    static final long RECHECK_MILLIS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(StreamClientCore.class);

    private final String role;
    private final Outbox out;
    private final LongSupplier clock;
    private final long replayTimeoutMillis;
    private final Publisher publishes;
    private final Map<Long, SubscriptionState> subscriptions = new LinkedHashMap<>();
    private final Queue<Long> closing = new ConcurrentLinkedQueue<>();
    private final Set<SubscriptionState> paused = new LinkedHashSet<>();
    private final PriorityQueue<ReplayTimer> replayTimers = new PriorityQueue<>();
    private String brokerId;
    private boolean welcomed;
    private boolean closed;
    private String refused;   // why the broker refused this client, until it accepts it again; null when not
    private int unsent;
    private long duplicates;
    private long strays;

    private record ReplayTimer(long at, TopicSequence topic) implements Comparable<ReplayTimer> {
        @Override
        public int compareTo(ReplayTimer other) {
            return Long.compare(at, other.at);
        }
    }

    /** Confirmed publishes wait in {@code table}; {@code replayTimeoutMillis} is how long a REPLAY may take. */
    StreamClientCore(Outbox out, LongSupplier clock, PendingTable table, long replayTimeoutMillis) {
        this.role = table.role();
        this.out = out;
        this.clock = clock;
        this.replayTimeoutMillis = replayTimeoutMillis;
        this.publishes = new Publisher(out, table);
    }

    Publisher publishes() {
        return publishes;
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    /** Events dropped as already released or already held. */
    long duplicates() {
        return duplicates;
    }

    void onPublish(PendingPublish publish) {
        publishes.onPublish(publish);
    }

    void onPublishAndForget(Publish publish) {
        publishes.onPublishAndForget(publish);
    }

    /** A new subscription from the handle; sent at once when the session is welcomed, else after WELCOME. */
    void onSubscribe(long id, String prefix, SubscribeOptions options, StreamSink sink) {
        if (closed) {
            sink.onEnded("client closed", new CourierException(Reason.CLOSED, "subscribe to '" + prefix
                    + "' failed: client is closed"));
            return;
        }
        if (sink.isClosed()) {
            return;   // closed by the application before the loop got to it
        }
        if (refused != null) {
            sink.onEnded("refused", new CourierException(Reason.REFUSED, "subscribe to '" + prefix + "' failed: "
                    + refused));
            return;
        }
        SubscriptionState state = new SubscriptionState(id, prefix, options, sink, this);
        subscriptions.put(id, state);
        if (welcomed) {
            sendSubscribe(state);
        }
    }

    /** Any thread: the application closed subscription {@code id}; the loop unsubscribes on its next pass. */
    void unsubscribeLater(long id) {
        closing.add(id);
    }

    void onConnected() {
        welcomed = false;
        subscriptions.values().forEach(s -> s.sentOnSession(false));
        publishes.onConnected();
    }

    void onWelcome(Headers properties) {
        publishes.onWelcome(properties);
        String id = properties.get("broker-id");
        if (brokerId != null && id != null && !id.equals(brokerId)) {
            LOG.warn("broker restarted, stream sequences restart conn={} oldBrokerId={} brokerId={} "
                    + "subscriptions={}", role, brokerId, id, subscriptions.size());
            StreamDurability durable = StreamDurability.parse(properties.get(StreamDurability.PROPERTY));
            subscriptions.values().forEach(s -> s.restart(RESTARTED, durable));
        }
        if (id != null) {
            brokerId = id;
        }
        welcomed = true;
        unsent = 0;
        for (SubscriptionState state : subscriptions.values()) {
            state.onResubscribed();
            sendSubscribe(state);
        }
    }

    void onDisconnected() {
        welcomed = false;
        publishes.onDisconnected();
    }

    /** Handles a stream command; false when {@code message} is not one. */
    boolean onMessage(NativeMessage message) {
        if (message instanceof Event event) {
            onEvent(event);
        } else if (message instanceof EventBatch batch) {
            for (Event event : batch.events()) {
                onEvent(event);   // each as if it came alone: gap detection, order, listener calls
            }
        } else if (message instanceof PubAck ack) {
            publishes.onPubAck(ack);
        } else if (message instanceof PubAckBatch ack) {
            publishes.onPubAckBatch(ack);
        } else if (message instanceof Loss loss) {
            onLoss(loss);
        } else if (message instanceof Subscribed subscribed) {
            onSubscribed(subscribed);
        } else if (message instanceof Unsubscribed unsubscribed) {
            onUnsubscribed(unsubscribed);
        } else {
            return false;
        }
        return true;
    }

    private void onEvent(Event event) {
        SubscriptionState state = live(event.subscriptionId(), event.command());
        if (state == null) {
            return;
        }
        StreamEvent e = new StreamEvent(event.topic(), event.seq(), event.timestampMillis(),
                event.headers().asMap(), Arrays.asList(event.body()));
        if (!state.topic(event.topic()).offer(e)) {
            countDuplicate(state, event.topic(), event.seq());
        }
    }

    private void onLoss(Loss loss) {
        SubscriptionState state = live(loss.subscriptionId(), loss.command());
        if (state == null) {
            return;
        }
        LOG.debug("stream loss conn={} subscription={} topic={} fromSeq={} toSeq={} reason={}", role, state.id(),
                loss.topic(), loss.fromSeq(), loss.toSeq(), loss.reason());
        state.topic(loss.topic()).offer(new StreamLoss(loss.topic(), loss.fromSeq(), loss.toSeq(), loss.reason()));
    }

    private void onSubscribed(Subscribed subscribed) {
        SubscriptionState state = live(subscribed.subscriptionId(), subscribed.command());
        if (state == null) {
            return;
        }
        if (state.markSubscribed()) {
            LOG.debug("subscribed conn={} subscription={} prefix={} streams={}", role, state.id(), state.prefix(),
                    subscribed.heads().size());
        }
        if (state.startsAfterHeads()) {
            subscribed.heads().forEach((topic, head) -> {
                if (state.existing(topic) == null) {
                    state.topic(topic).startAfter(head);
                }
            });
        }
        state.sink().onSubscribed();
    }

    private void onUnsubscribed(Unsubscribed unsubscribed) {
        SubscriptionState state = subscriptions.remove(unsubscribed.subscriptionId());
        if (state == null) {
            return;   // one the application closed already
        }
        forget(state);
        LOG.warn("subscription ended by the broker conn={} subscription={} prefix={} reason={}", role, state.id(),
                state.prefix(), unsubscribed.reason());
        String operation = "subscribe to '" + state.prefix() + "'";
        state.sink().onEnded(unsubscribed.reason(), new CourierException(Reason.REFUSED, operation
                + " refused by the broker: " + unsubscribed.reason()));
    }

    private SubscriptionState live(long id, Object command) {
        SubscriptionState state = subscriptions.get(id);
        if (state == null && strays++ == 0) {
            LOG.debug("stream message for no live subscription ignored conn={} subscription={} command={}", role,
                    id, command);
        }
        return state;
    }

    private void countDuplicate(SubscriptionState state, String topic, long seq) {
        duplicates++;
        LOG.trace("duplicate event dropped conn={} subscription={} topic={} seq={} duplicates={}", role, state.id(),
                topic, seq, duplicates);
    }

    /** Asks the broker again for a range; without a session, the next SUBSCRIBE's resume map does it. */
    void sendReplay(SubscriptionState state, TopicSequence topic, long from, long to) {
        if (!welcomed || !state.sentOnSession()) {
            return;
        }
        out.send(new Replay(state.id(), topic.topic(), from, to));   // if dropped, the replay timer asks again
        LOG.debug("replay asked conn={} subscription={} topic={} fromSeq={} toSeq={}", role, state.id(),
                topic.topic(), from, to);
        armReplayTimer(topic);
    }

    void armReplayTimer(TopicSequence topic) {
        if (topic.replayDeadline() == 0) {
            long at = Math.max(1, clock.getAsLong() + replayTimeoutMillis);
            topic.replayDeadline(at);
            replayTimers.add(new ReplayTimer(at, topic));
        }
    }

    void onPaused(SubscriptionState state) {
        paused.add(state);
        LOG.debug("subscription paused, listener behind conn={} subscription={}", role, state.id());
    }

    long onTimers(long now) {
        for (Long id = closing.poll(); id != null; id = closing.poll()) {
            unsubscribe(id);
        }
        if (welcomed && unsent > 0) {
            unsent = 0;
            subscriptions.values().stream().filter(s -> !s.sentOnSession()).forEach(this::sendSubscribe);
        }
        while (!replayTimers.isEmpty() && replayTimers.peek().at() <= now) {
            ReplayTimer due = replayTimers.poll();
            TopicSequence topic = due.topic();
            if (topic.replayDeadline() != due.at() || topic.owner().isRemoved()) {
                continue;   // stale: the gap closed, or a later timer replaced this one
            }
            if (welcomed) {
                topic.onReplayDue();
            } else {
                topic.replayDeadline(0);   // the resume map of the next session asks for it
            }
        }
        for (SubscriptionState state : paused.isEmpty() ? List.<SubscriptionState>of() : new ArrayList<>(paused)) {
            if (state.isRemoved() || !state.isPaused() || state.tryResume()) {
                paused.remove(state);
            }
        }
        publishes.onTimers();
        long next = Long.MAX_VALUE;
        if (!replayTimers.isEmpty()) {
            next = Math.min(next, replayTimers.peek().at());
        }
        if (!paused.isEmpty() || unsent > 0) {
            next = Math.min(next, now + RECHECK_MILLIS);
        }
        return next;
    }

    /** The broker refused this client: pending publishes fail, and subscriptions end, with REFUSED. */
    void onRefused(String why) {
        refused = why;
        publishes.onRefusedOrClosed();
        ArrayList<SubscriptionState> left = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        paused.clear();
        replayTimers.clear();
        for (SubscriptionState state : left) {
            state.markRemoved();
            state.sink().onEnded("refused", new CourierException(Reason.REFUSED, "subscribe to '" + state.prefix()
                    + "' failed: " + why));
        }
    }

    /** The broker took this client after a refusal. */
    void onAccepted() {
        refused = null;
    }

    void onClose() {
        closed = true;
        publishes.onRefusedOrClosed();
        ArrayList<SubscriptionState> left = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        paused.clear();
        replayTimers.clear();
        for (SubscriptionState state : left) {
            state.markRemoved();
            state.sink().onEnded("client closed", new CourierException(Reason.CLOSED, "subscribe to '"
                    + state.prefix() + "' failed: client closed"));
        }
    }

    private void unsubscribe(long id) {
        SubscriptionState state = subscriptions.remove(id);
        if (state == null) {
            return;
        }
        forget(state);
        if (welcomed && state.sentOnSession()) {
            out.send(new Unsubscribe(id));
        }
        LOG.debug("unsubscribed conn={} subscription={} prefix={}", role, id, state.prefix());
    }

    private void forget(SubscriptionState state) {
        state.markRemoved();
        paused.remove(state);
    }

    private void sendSubscribe(SubscriptionState state) {
        boolean sent = out.send(state.toWire());
        state.sentOnSession(sent);
        if (!sent) {
            unsent++;
        }
    }
}
