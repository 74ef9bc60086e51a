package io.courier.broker.queue;

import static io.courier.broker.queue.QueueFixture.START_WALL_MILLIS;
import static io.courier.broker.queue.QueueFixture.body;
import static io.courier.broker.queue.QueueFixture.consumer;
import static io.courier.broker.queue.QueueFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.queue.EnqueueResult.Outcome;
import io.courier.protocol.Headers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueueCoreRestoreTest {
    private final QueueFixture fx = new QueueFixture(settings());
    private final ConsumerKey c1 = consumer("p1", 1);

    @Test
    void shouldRestoreEveryMessageAsReadyInSeqOrderKeepingDeliveryCounts() {
        fx.restore("jobs", List.of(stored(7, "c", 2), stored(3, "a", 0), stored(5, "b", 1)));

        assertThat(fx.core.list("jobs", 10)).extracting(MessageSnapshot::seq).containsExactly(3L, 5L, 7L);
        assertThat(fx.core.list("jobs", 10)).extracting(MessageSnapshot::state).containsOnly(DeliveryState.READY);
        assertThat(fx.journal.lines).as("a restore journals nothing").isEmpty();
        assertThat(fx.view("jobs").enqueued()).isZero();
        assertThat(fx.view("jobs").depth()).isEqualTo(3);

        fx.core.attach(c1, "jobs", 10);
        assertThat(fx.sink.texts(c1)).containsExactly("a", "b", "c");
        assertThat(fx.sink.to(c1)).extracting(Delivery::deliveries).containsExactly(1, 2, 3);
    }

    @Test
    void shouldContinueSeqsAfterTheHighestRestored() {
        fx.restore("jobs", List.of(stored(41, "a", 0)));

        assertThat(fx.enqueue("jobs", "b").seq()).isEqualTo(42);
    }

    @Test
    void shouldRestoreWhatTheJournalRecordedBeforeACrash() {
        fx.core.attach(c1, "jobs", 2);
        fx.core.enqueue("jobs", null, QueueFixture.headers("k", "v"), body("a"), Duration.ZERO);
        fx.enqueueAll("jobs", "b", "c", "d");
        fx.ackLast(c1);                                            // b acked: c goes out
        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);   // c rejected: d goes out
        fx.enqueue("jobs", "e");

        QueueFixture after = new QueueFixture(settings());
        after.restore("jobs", fx.journal.stored("jobs"));
        after.restore("jobs.dlq", fx.journal.stored("jobs.dlq"));

        assertThat(after.held("jobs")).containsExactly("a", "d", "e");
        assertThat(after.core.list("jobs", 10)).extracting(MessageSnapshot::deliveries).containsExactly(1, 1, 0);
        assertThat(after.core.list("jobs", 1).get(0).headers()).isEqualTo(QueueFixture.headers("k", "v"));
        MessageSnapshot dead = after.core.list("jobs.dlq", 10).get(0);
        assertThat(QueueFixture.text(dead.body())).isEqualTo("c");
        assertThat(dead.headers().get(QueueCore.REASON_HEADER)).isEqualTo("rejected");
        assertThat(after.core.replay("jobs.dlq", 1)).isEqualTo(1);
        assertThat(after.held("jobs")).containsExactly("a", "d", "e", "c");
        assertThat(after.enqueue("jobs", "f").seq()).isEqualTo(7);
    }

    @Test
    void shouldDeadLetterARestoredMessageThatUsedUpItsDeliveries() {
        fx.restore("jobs", List.of(stored(1, "a", 3), stored(2, "b", 2)));

        fx.core.attach(c1, "jobs", 10);

        assertThat(fx.sink.texts(c1)).containsExactly("b");
        MessageSnapshot dead = fx.core.list("jobs.dlq", 10).get(0);
        assertThat(dead.headers().get(QueueCore.REASON_HEADER)).isEqualTo("max deliveries (3) exceeded");
        assertThat(dead.deliveries()).isEqualTo(3);
        assertThat(fx.journal.lines).startsWith("deadLetter jobs#1 -> jobs.dlq#1");
    }

    @Test
    void shouldKeepTheDeliveriesADeadLetterHadBeforeItCameToTheDeadLetterQueue() {
        fx.restore("jobs.dlq", List.of(new RestoredMessage(1, null, Headers.EMPTY, body("a"), START_WALL_MILLIS,
                0, 5, 3)));

        fx.core.attach(c1, "jobs.dlq", 10);

        assertThat(fx.sink.last(c1).deliveries()).isEqualTo(6);
        fx.core.nack(c1, fx.sink.last(c1).tag(), true, Duration.ZERO);
        assertThat(fx.held("jobs.dlq.dlq")).as("3 deliveries in the dead-letter queue").containsExactly("a");
    }

    @Test
    void shouldRememberTheProducerIdsOfRestoredMessagesWithinTheWindow() {
        fx.advanceMillis(9_000);
        fx.restore("jobs", List.of(
                new RestoredMessage(1, "p-1", Headers.EMPTY, body("a"), START_WALL_MILLIS, 0, 0, 0),
                new RestoredMessage(2, "p-2", Headers.EMPTY, body("b"), START_WALL_MILLIS - 2_000, 0, 0, 0)));

        assertThat(fx.enqueue("jobs", "p-1", "a again")).isEqualTo(fx.duplicate(1));
        assertThat(fx.enqueue("jobs", "p-2", "b again").outcome()).as("past the window").isEqualTo(Outcome.ACCEPTED);
        fx.advanceMillis(1_000);
        assertThat(fx.enqueue("jobs", "p-1", "a third").outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldExpireRestoredMessagesWhoseTtlPassedWhileTheBrokerWasDown() {
        fx.core.declare("jobs", settings().withExpiredPolicy(ExpiredPolicy.DROP));
        fx.restore("jobs", List.of(
                new RestoredMessage(1, null, Headers.EMPTY, body("old"), START_WALL_MILLIS - 5_000,
                        START_WALL_MILLIS - 1, 0, 0),
                new RestoredMessage(2, null, Headers.EMPTY, body("fresh"), START_WALL_MILLIS, START_WALL_MILLIS + 1, 0,
                        0)));

        fx.runTimers();

        assertThat(fx.held("jobs")).containsExactly("fresh");
        assertThat(fx.journal.lines).containsExactly("drop jobs#1 expired");
    }

    @Test
    void shouldRefuseToRestoreIntoAQueueThatHoldsMessagesOrTheSameSeqTwice() {
        fx.enqueue("jobs", "a");

        assertThatThrownBy(() -> fx.core.restore("jobs", List.of(stored(5, "x", 0))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("restore needs an empty queue [queue=jobs, messages=1]");
        assertThatThrownBy(() -> fx.core.restore("other", List.of(stored(5, "x", 0), stored(5, "y", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("restore given seq twice [queue=other, seq=5]");
        assertThatThrownBy(() -> stored(0, "x", 0)).hasMessageContaining("seq must be >= 1");
        assertThatThrownBy(() -> new RestoredMessage(1, null, Headers.EMPTY, body("x"), 0, 0, 1, 2))
                .hasMessageContaining("0 <= priorDeliveries <= deliveries");
        assertThat(fx.held("jobs")).containsExactly("a");
    }

    private static RestoredMessage stored(long seq, String text, int deliveries) {
        return new RestoredMessage(seq, null, Headers.EMPTY, body(text), START_WALL_MILLIS, 0, deliveries, 0);
    }
}
