package io.courier.broker.queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A {@link DeliverySink} that records what each consumer was sent, in order, and refuses sends the way a full
 * ROUTER queue does: a consumer given a room of n accepts n more sends, then refuses until given room again.
 * Consumers start with unlimited room. It can also refuse at random, or throw.
 */
final class FakeDeliverySink implements DeliverySink {
    /** One accepted send. */
    record Sent(ConsumerKey consumer, Delivery delivery) {
        String text() {
            return QueueFixture.text(delivery.body());
        }
    }

    final List<Sent> sent = new ArrayList<>();
    private final Map<ConsumerKey, Long> room = new HashMap<>();
    long refusals;
    boolean throwing;
    private Random random;
    private double refuseRate;

    /** {@code consumer} accepts {@code sends} more sends, then refuses until given room again. */
    void room(ConsumerKey consumer, long sends) {
        room.put(consumer, sends);
    }

    void unlimited(ConsumerKey consumer) {
        room.remove(consumer);
    }

    void unlimitedForAll() {
        room.clear();
        refuseRate = 0;
    }

    void refuseAtRandom(Random source, double rate) {
        random = source;
        refuseRate = rate;
    }

    /** What {@code consumer} was sent, in order. */
    List<Delivery> to(ConsumerKey consumer) {
        return sent.stream().filter(s -> s.consumer().equals(consumer)).map(Sent::delivery).toList();
    }

    /** The bodies sent to {@code consumer}, in order, as text. */
    List<String> texts(ConsumerKey consumer) {
        return to(consumer).stream().map(d -> QueueFixture.text(d.body())).toList();
    }

    /** Every body sent, in order, as text. */
    List<String> texts() {
        return sent.stream().map(Sent::text).toList();
    }

    /** The latest delivery to {@code consumer}. */
    Delivery last(ConsumerKey consumer) {
        List<Delivery> all = to(consumer);
        if (all.isEmpty()) {
            throw new AssertionError("nothing was sent to " + consumer);
        }
        return all.get(all.size() - 1);
    }

    /** The latest delivery of the message whose body is {@code text}. */
    Sent lastOf(String text) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).text().equals(text)) {
                return sent.get(i);
            }
        }
        throw new AssertionError("'" + text + "' was never sent");
    }

    void clear() {
        sent.clear();
    }

    @Override
    public boolean deliver(ConsumerKey consumer, Delivery delivery) {
        if (throwing) {
            throw new IllegalStateException("sink failure for a test");
        }
        Long left = room.get(consumer);
        if (left != null) {
            if (left == 0) {
                refusals++;
                return false;
            }
            room.put(consumer, left - 1);
        }
        if (refuseRate > 0 && random.nextDouble() < refuseRate) {
            refusals++;
            return false;
        }
        sent.add(new Sent(consumer, delivery));
        return true;
    }

    static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
