package io.courier.broker.queue;

import io.courier.broker.peer.PeerId;
import io.courier.protocol.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link QueueCore} with a {@link FakeDeliverySink}, a {@link RecordingJournal} and a manual clock: wall and
 * loop millis start at arbitrary origins and move together, only when a test says so. Message bodies are texts
 * chosen by the tests.
 */
final class QueueFixture implements QueueClock {
    static final long START_WALL_MILLIS = 1_700_000_000_000L;
    static final long START_LOOP_MILLIS = 42_000;

    final FakeDeliverySink sink = new FakeDeliverySink();
    final RecordingJournal journal = new RecordingJournal();
    final QueueCore core;
    long wallMillis = START_WALL_MILLIS;
    long loopMillis = START_LOOP_MILLIS;

    QueueFixture() {
        this(QueueSettings.defaults());
    }

    QueueFixture(QueueSettings defaults) {
        core = new QueueCore(defaults, journal, sink, this);
    }

    @Override
    public long wallMillis() {
        return wallMillis;
    }

    @Override
    public long loopMillis() {
        return loopMillis;
    }

    void advanceMillis(long millis) {
        wallMillis += millis;
        loopMillis += millis;
    }

    /** Runs the due timers now; returns when the core wants them run next. */
    long runTimers() {
        return core.onTimers(loopMillis);
    }

    long advanceAndRunTimers(long millis) {
        advanceMillis(millis);
        return runTimers();
    }

    EnqueueResult enqueue(String queue, String text) {
        return core.enqueue(queue, null, Headers.EMPTY, body(text), Duration.ZERO);
    }

    EnqueueResult enqueue(String queue, String producerId, String text) {
        return core.enqueue(queue, producerId, Headers.EMPTY, body(text), Duration.ZERO);
    }

    /** The result of an enqueue accepted as {@code seq}: it carries the journal's future for the append. */
    EnqueueResult accepted(long seq) {
        return new EnqueueResult(EnqueueResult.Outcome.ACCEPTED, seq, "", journal.appended);
    }

    /** The result of an enqueue found a duplicate of the message accepted as {@code seq}. */
    EnqueueResult duplicate(long seq) {
        return new EnqueueResult(EnqueueResult.Outcome.DUPLICATE, seq, "", null);
    }

    /** Enqueues one message per text; returns their seqs. */
    List<Long> enqueueAll(String queue, String... texts) {
        return Arrays.stream(texts).map(t -> enqueue(queue, t).seq()).toList();
    }

    /** Restores {@code queue} from {@code stored}, which the journal's model of the store then holds too. */
    void restore(String queue, List<RestoredMessage> stored) {
        journal.seed(queue, stored);
        core.restore(queue, stored);
    }

    /** Acks the latest delivery to {@code consumer}. */
    boolean ackLast(ConsumerKey consumer) {
        return core.ack(consumer, sink.last(consumer).tag());
    }

    /** The texts of what {@code queue} holds, in seq order. */
    List<String> held(String queue) {
        return core.list(queue, Integer.MAX_VALUE).stream().map(m -> text(m.body())).toList();
    }

    QueueStatus.QueueView view(String queue) {
        return core.status().queues().stream().filter(v -> v.name().equals(queue)).findFirst()
                .orElseThrow(() -> new AssertionError("no queue " + queue));
    }

    static ConsumerKey consumer(String peer, long id) {
        return new ConsumerKey(peer(peer), id);
    }

    static PeerId peer(String name) {
        return new PeerId(name.getBytes(StandardCharsets.UTF_8));
    }

    static byte[][] body(String text) {
        return new byte[][] {text.getBytes(StandardCharsets.UTF_8)};
    }

    static String text(byte[][] body) {
        return new String(body[0], StandardCharsets.UTF_8);
    }

    static Headers headers(String key, String value) {
        return Headers.of(Map.of(key, value));
    }

    /** Settings for tests: small limits, 1 s to ack, 3 deliveries, no ttl, a 10 s duplicate window. */
    static QueueSettings settings() {
        return QueueSettings.defaults().withMaxMessages(1_000).withAckTimeout(Duration.ofSeconds(1)).withMaxDeliver(3)
                .withDedupWindow(Duration.ofSeconds(10));
    }
}
