package io.courier.client.internal;

import io.courier.client.QueueDelivery;
import io.courier.client.internal.Settle.Outcome;
import io.courier.protocol.codec.NativeMessage.Deliver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link QueueDelivery}: the DELIVER as received, the session it arrived on, and a settle-once flag. Thread-safe:
 * made on the I/O thread, settled from any thread; a settle is handed to {@code settler}, which queues it for the
 * I/O thread.
 */
final class DeliveryHandle implements QueueDelivery {
    private static final long MAX_DELAY_MILLIS = Integer.MAX_VALUE;

    private final Deliver deliver;
    private final Map<String, String> headers;
    private final int session;
    private final Consumer<Settle> settler;
    private final AtomicBoolean settled = new AtomicBoolean();

    DeliveryHandle(Deliver deliver, int session, Consumer<Settle> settler) {
        this.deliver = deliver;
        this.headers = deliver.headers().asMap();
        this.session = session;
        this.settler = settler;
    }

    int session() {
        return session;
    }

    @Override
    public String queue() {
        return deliver.queue();
    }

    @Override
    public long seq() {
        return deliver.seq();
    }

    @Override
    public long tag() {
        return deliver.tag();
    }

    @Override
    public int deliveries() {
        return deliver.deliveries();
    }

    @Override
    public Instant enqueuedAt() {
        return Instant.ofEpochMilli(deliver.enqueuedAtMillis());
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return deliver.body();
    }

    @Override
    public void ack() {
        settle(Outcome.ACK, 0);
    }

    @Override
    public void nack() {
        settle(Outcome.NACK, 0);
    }

    @Override
    public void nack(Duration delay) {
        if (delay.isNegative() || delay.toMillis() > MAX_DELAY_MILLIS) {
            throw new IllegalArgumentException("delay must be 0 to 24 days [delay=" + delay + "]");
        }
        settle(Outcome.NACK, (int) delay.toMillis());
    }

    @Override
    public void reject() {
        settle(Outcome.REJECT, 0);
    }

    @Override
    public boolean isSettled() {
        return settled.get();
    }

    private void settle(Outcome outcome, int delayMillis) {
        if (settled.compareAndSet(false, true)) {
            settler.accept(new Settle(deliver.consumerId(), session, deliver.tag(), outcome, delayMillis));
        }
    }

    @Override
    public String toString() {
        return "QueueDelivery[queue=" + queue() + ", seq=" + seq() + ", tag=" + tag() + ", deliveries="
                + deliveries() + ", bodyBytes=" + body().length + "]";
    }
}
