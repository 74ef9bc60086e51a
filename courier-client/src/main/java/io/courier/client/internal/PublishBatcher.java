package io.courier.client.internal;

import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Publish;
import io.courier.protocol.codec.NativeMessage.PublishBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Publishes queued to the I/O loop during one pass, sent as one PUBLISH_BATCH at the end of the pass (a lone one
 * as a plain PUBLISH), or earlier when a batch reaches {@link #MAX_BYTES} or {@link #MAX_ENTRIES}. Confirmed
 * publishes and fire-and-forget ones go in separate batches (correlation id 0 for the latter), in the order they
 * were queued: a change of kind sends what is pending first. A confirmed batch's correlation id is its first
 * publish's, and its entries have the ids that follow (counting down), so a PUBACK_BATCH needs no lookup table.
 * Thread-free; confined to the {@code courier-client-N} thread.
 */
final class PublishBatcher {
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_ENTRIES = 1_000;
    private static final int ENTRY_OVERHEAD = 9;

    private final Outbox out;
    private final IntConsumer forgetDropped;
    private final List<PendingPublish> confirmed = new ArrayList<>();
    private final List<Publish> forgets = new ArrayList<>();
    private int bytes;
    private long maxBytes = MAX_BYTES;

    /** {@code forgetDropped} is told how many fire-and-forget publishes a refused send dropped. */
    PublishBatcher(Outbox out, IntConsumer forgetDropped) {
        this.out = out;
        this.forgetDropped = forgetDropped;
    }

    /** The broker's max-message-bytes: a batch stays well below it. */
    void limit(long brokerMaxMessageBytes) {
        maxBytes = Math.max(1, Math.min(MAX_BYTES, brokerMaxMessageBytes / 2));
    }

    boolean isEmpty() {
        return confirmed.isEmpty() && forgets.isEmpty();
    }

    /** Queues a confirmed publish, which already has its correlation id; marked sent when its batch leaves. */
    void add(PendingPublish publish) {
        int size = size(publish.toWire());
        if (!forgets.isEmpty() || !confirmed.isEmpty() && (full(size)
                || confirmed.get(confirmed.size() - 1).correlationId() - 1 != publish.correlationId())) {
            flush();
        }
        confirmed.add(publish);
        bytes += size;
    }

    /** Queues a fire-and-forget publish (its correlation id is 0). */
    void addForget(Publish publish) {
        int size = size(publish);
        if (!confirmed.isEmpty() || !forgets.isEmpty() && full(size)) {
            flush();
        }
        forgets.add(publish);
        bytes += size;
    }

    /** Sends what is pending. */
    void flush() {
        if (!confirmed.isEmpty()) {
            sendConfirmed();
        } else if (!forgets.isEmpty()) {
            sendForgets();
        }
        bytes = 0;
    }

    /** Drops what is pending without sending it (the client closes, or the broker refused it). */
    void clear() {
        if (!forgets.isEmpty()) {
            forgetDropped.accept(forgets.size());
        }
        confirmed.clear();
        forgets.clear();
        bytes = 0;
    }

    private void sendConfirmed() {
        PendingPublish head = confirmed.get(0);
        boolean sent;
        if (confirmed.size() == 1) {
            sent = out.send(head.toWire());
        } else {
            List<PublishBatch.Entry> entries = new ArrayList<>(confirmed.size());
            for (PendingPublish p : confirmed) {
                Publish wire = p.toWire();
                entries.add(new PublishBatch.Entry(wire.topic(), wire.headers(), wire.body()));
            }
            sent = out.send(new PublishBatch(head.correlationId(), entries));
        }
        head.batchSize(confirmed.size());
        for (PendingPublish p : confirmed) {
            p.sent(sent);   // not sent: the next socket takes it, or the deadline
        }
        confirmed.clear();
    }

    private void sendForgets() {
        boolean sent;
        if (forgets.size() == 1) {
            sent = out.send(forgets.get(0));
        } else {
            List<PublishBatch.Entry> entries = new ArrayList<>(forgets.size());
            for (Publish p : forgets) {
                entries.add(new PublishBatch.Entry(p.topic(), p.headers(), p.body()));
            }
            sent = out.send(new PublishBatch(0, entries));
        }
        if (!sent) {
            forgetDropped.accept(forgets.size());
        }
        forgets.clear();
    }

    private boolean full(int size) {
        return confirmed.size() + forgets.size() >= MAX_ENTRIES || bytes + size > maxBytes;
    }

    private static int size(Publish p) {
        Headers headers = p.headers();
        return ENTRY_OVERHEAD + p.topic().length() * 3 + p.body().length
                + (headers.isEmpty() ? 0 : headers.encode().length);
    }
}
