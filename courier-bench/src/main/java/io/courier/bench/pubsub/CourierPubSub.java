package io.courier.bench.pubsub;

import io.courier.bench.Quietly;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.StreamLoss;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The run through the broker's streams: N Courier subscribers, each its own {@link Client}, subscribe from
 * {@code NOW} to a stream of its own for this run and wait until the broker has taken the subscription; then a
 * publisher {@link Client} with {@code maxInFlight = window} publishes with confirmations in a plain loop: the
 * client's flow control keeps at most {@code window} unconfirmed. Default settings, so listeners and confirmation
 * callbacks run on the clients' callback threads; with {@code inline} on their I/O threads. Each subscriber checks
 * that sequence numbers follow one another, and counts what it is told it lost.
 */
final class CourierPubSub {
    static final String MODE = "courier";
    /** The mode with listeners and confirmation callbacks on the clients' I/O threads ({@code --inline}). */
    static final String MODE_INLINE = "courier-inline";

    private CourierPubSub() {
    }

    /** Runs through the broker whose frontend is given; blocks until done. */
    static PubSubResult run(PubSubSettings settings, String frontend, boolean inline) {
        Executor callbacks = inline ? Runnable::run : null;
        String topic = "bench.pubsub." + Long.toHexString(System.nanoTime());
        Deliveries deliveries = new Deliveries(settings);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<Subscription> subscriptions = new ArrayList<>();
            for (int i = 0; i < settings.subscribers(); i++) {
                Client client = Client.connect(ClientConfig.of(frontend).withName("bench-subscriber-" + i)
                        .withCallbackExecutor(callbacks));
                open.add(client);
                subscriptions.add(client.subscribe(topic, SubscribeOptions.ofNow(),
                        new Counter(deliveries.tally(i), deliveries)));
            }
            for (Subscription s : subscriptions) {
                s.awaitSubscribed(settings.timeout());
            }
            Client publisher = Client.connect(ClientConfig.of(frontend).withName("bench-publisher")
                    .withMaxInFlight(settings.window()).withCallbackExecutor(callbacks));
            open.add(0, publisher);
            publish(publisher, topic, settings, deliveries);
            deliveries.await(settings.timeout());
            return deliveries.result(inline ? MODE_INLINE : MODE);
        } finally {
            open.forEach(Quietly::close);
        }
    }

    /**
     * Publishes every message in a plain loop (the client's flow control waits while {@code window} are
     * unconfirmed), then waits for the last confirmations.
     */
    private static void publish(Client client, String topic, PubSubSettings settings, Deliveries deliveries) {
        byte[] template = settings.body();
        Pacer pacer = new Pacer(settings.rate());
        long total = settings.total();
        CountDownLatch confirmed = new CountDownLatch((int) total);
        long timeoutMillis = settings.timeout().toMillis();
        try {
            deliveries.beginPublishing(System.nanoTime());
            for (long i = total; i > 0 && !deliveries.failed(); i--) {
                pacer.awaitTurn();
                Message message = Message.of(PubSubSettings.stamped(template, System.nanoTime()));
                client.publish(topic, message).whenComplete((seq, error) -> {
                    confirmed.countDown();
                    if (error != null) {
                        deliveries.fail(error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error);
                    }
                });
            }
            if (!deliveries.failed() && !confirmed.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new CourierException(Reason.TIMEOUT, "the last publishes were not confirmed within "
                        + timeoutMillis + "ms");
            }
            deliveries.endPublishing(System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
        }
    }

    /** One subscriber's listener: counts events, sequence gaps and reported losses. Calls come one at a time. */
    private static final class Counter implements StreamListener {
        private final Tally tally;
        private final Deliveries deliveries;
        private long lastSeq;   // the stream is new, so its first seq is 1

        Counter(Tally tally, Deliveries deliveries) {
            this.tally = tally;
            this.deliveries = deliveries;
        }

        @Override
        public void onEvent(StreamEvent event) {
            if (event.seq() > lastSeq + 1) {
                tally.onGap(event.seq() - lastSeq - 1);
            }
            lastSeq = Math.max(lastSeq, event.seq());
            tally.onMessage(System.nanoTime(), PubSubSettings.stampOf(event.body()));
        }

        @Override
        public void onLoss(StreamLoss loss) {
            long to = Math.min(loss.toSeq(), Long.MAX_VALUE - 1);
            lastSeq = Math.max(lastSeq, to);
            tally.onLost(to - loss.fromSeq() + 1, System.nanoTime());
        }

        @Override
        public void onClosed(String reason) {
            deliveries.fail(new CourierException(Reason.CLOSED, "subscription ended: " + reason));
        }
    }
}
