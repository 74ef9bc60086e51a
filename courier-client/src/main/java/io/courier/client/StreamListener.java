package io.courier.client;

import io.courier.protocol.SlowPolicy;
import org.slf4j.LoggerFactory;

/**
 * Receives the messages of one {@link Subscription}.
 *
 * <p><b>Threading.</b> Called on the client's callback executor, never on its I/O thread, one call at a time per
 * subscription and in order: per stream, events arrive in sequence order with every gap either filled or reported
 * by {@link #onLoss}. Calls of different subscriptions may run in parallel. A slow listener holds up only its own
 * subscription: when too many calls are waiting (see {@link SubscribeOptions#maxBufferedEvents()}) the client
 * pauses it and later replays what it skipped from the broker's retained log.
 *
 * <p><b>Errors.</b> An exception thrown by a method is logged and the next call goes ahead.
 */
@FunctionalInterface
public interface StreamListener {

    /** The next message of one of the subscription's streams. */
    void onEvent(StreamEvent event);

    /** Messages that will never come (see {@link StreamLoss}). The default logs them as a warning. */
    default void onLoss(StreamLoss loss) {
        LoggerFactory.getLogger(StreamListener.class).warn("stream messages lost topic={} fromSeq={} toSeq={} "
                + "reason={}", loss.topic(), loss.fromSeq(), loss.toSeq(), loss.reason());
    }

    /**
     * The subscription ended without {@link Subscription#close()}: the broker ended it ({@code too slow} under
     * {@link SlowPolicy#DISCONNECT}, or refused it), or the client was closed. Nothing follows. The default does
     * nothing.
     */
    default void onClosed(String reason) {
    }
}
