package io.courier.broker.queue;

import static io.courier.broker.queue.QueueFixture.START_LOOP_MILLIS;
import static io.courier.broker.queue.QueueFixture.START_WALL_MILLIS;
import static io.courier.broker.queue.QueueFixture.consumer;
import static io.courier.broker.queue.QueueFixture.peer;
import static io.courier.broker.queue.QueueFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueueCoreConsumeTest {
    private final QueueFixture fx = new QueueFixture(settings());
    private final ConsumerKey c1 = consumer("p1", 1);
    private final ConsumerKey c2 = consumer("p2", 1);
    private final ConsumerKey c3 = consumer("p3", 1);

    @Test
    void shouldHandOutAMessageWithItsTagSeqCountAndHeaders() {
        fx.core.attach(c1, "jobs", 5);
        fx.core.enqueue("jobs", "m-1", QueueFixture.headers("k", "v"), QueueFixture.body("a"), Duration.ZERO);

        Delivery d = fx.sink.last(c1);
        assertThat(d.queue()).isEqualTo("jobs");
        assertThat(d.seq()).isEqualTo(1);
        assertThat(d.tag()).isPositive();
        assertThat(d.deliveries()).isEqualTo(1);
        assertThat(d.redelivered()).isFalse();
        assertThat(d.headers()).isEqualTo(QueueFixture.headers("k", "v"));
        assertThat(d.enqueuedAtMillis()).isEqualTo(START_WALL_MILLIS);
        assertThat(fx.journal.lines).containsExactly("append jobs#1", "IN_FLIGHT jobs#1 1");
        assertThat(fx.core.list("jobs", 10)).extracting(MessageSnapshot::state)
                .containsExactly(DeliveryState.IN_FLIGHT);
    }

    @Test
    void shouldHandOutUpToThePrefetchThenOneMorePerAck() {
        fx.enqueueAll("jobs", "a", "b", "c", "d", "e");
        fx.core.attach(c1, "jobs", 2);

        assertThat(fx.sink.texts(c1)).containsExactly("a", "b");
        assertThat(fx.view("jobs").unacked()).isEqualTo(2);
        assertThat(fx.view("jobs").depth()).isEqualTo(3);

        assertThat(fx.core.ack(c1, fx.sink.to(c1).get(0).tag())).isTrue();
        assertThat(fx.sink.texts(c1)).containsExactly("a", "b", "c");
        assertThat(fx.journal.lines).contains("ack jobs#1");
        assertThat(fx.core.status().consumers()).containsExactly(
                new QueueStatus.ConsumerView(c1, "jobs", 2, 2, 3));
        assertThat(fx.view("jobs").acked()).isEqualTo(1);
    }

    @Test
    void shouldAckManyTagsAtOnceThenHandOutWhatTheFreedCreditAllows() {
        fx.enqueueAll("jobs", "a", "b", "c", "d", "e");
        fx.core.attach(c1, "jobs", 2);
        long[] tags = {fx.sink.to(c1).get(0).tag(), fx.sink.to(c1).get(1).tag(), 999_999};
        List<Long> unknown = new ArrayList<>();

        fx.core.ack(c1, tags, unknown::add);

        assertThat(unknown).containsExactly(999_999L);
        assertThat(fx.sink.texts(c1)).containsExactly("a", "b", "c", "d");
        assertThat(fx.journal.lines).contains("ack jobs#1", "ack jobs#2");
        assertThat(fx.view("jobs").acked()).isEqualTo(2);
        assertThat(fx.view("jobs").unacked()).isEqualTo(2);
        fx.core.ack(consumer("nobody", 9), new long[] {tags[0]}, unknown::add);
        assertThat(unknown).containsExactly(999_999L, tags[0]);
    }

    @Test
    void shouldGiveCreditBackOnNack() {
        fx.enqueueAll("jobs", "a", "b");
        fx.core.attach(c1, "jobs", 1);

        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);

        assertThat(fx.sink.texts(c1)).containsExactly("a", "b");
    }

    @Test
    void shouldRoundRobinFairlyAcrossConsumers() {
        fx.core.attach(c1, "jobs", 100);
        fx.core.attach(c2, "jobs", 100);
        fx.core.attach(c3, "jobs", 100);

        fx.enqueueAll("jobs", "a", "b", "c", "d", "e", "f", "g", "h", "i");

        assertThat(fx.sink.texts(c1)).containsExactly("a", "d", "g");
        assertThat(fx.sink.texts(c2)).containsExactly("b", "e", "h");
        assertThat(fx.sink.texts(c3)).containsExactly("c", "f", "i");
    }

    @Test
    void shouldPassOverConsumersWithoutCreditUntilTheyAck() {
        fx.core.attach(c1, "jobs", 1);
        fx.core.attach(c2, "jobs", 5);

        fx.enqueueAll("jobs", "a", "b", "c", "d");
        assertThat(fx.sink.texts(c1)).containsExactly("a");
        assertThat(fx.sink.texts(c2)).containsExactly("b", "c", "d");

        fx.ackLast(c1);   // c1 has credit again: it rejoins the rotation at its end, behind c2
        fx.enqueueAll("jobs", "e", "f", "g");
        assertThat(fx.sink.texts(c1)).containsExactly("a", "f");
        assertThat(fx.sink.texts(c2)).containsExactly("b", "c", "d", "e", "g");
    }

    @Test
    void shouldKeepAMessageReadyWhenTheSinkRefusesAndRetryOnTheNextTimerPass() {
        fx.core.attach(c1, "jobs", 5);
        fx.sink.room(c1, 0);

        fx.enqueue("jobs", "a");

        assertThat(fx.sink.sent).isEmpty();
        assertThat(fx.view("jobs").depth()).isEqualTo(1);
        assertThat(fx.journal.lines).containsExactly("append jobs#1");
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + QueueCore.RETRY_MILLIS);

        fx.sink.unlimited(c1);
        fx.advanceAndRunTimers(1);
        assertThat(fx.sink.last(c1).deliveries()).isEqualTo(1);
        assertThat(fx.view("jobs").unacked()).isEqualTo(1);
    }

    @Test
    void shouldGiveARefusedMessageToAnotherConsumerAtOnce() {
        fx.core.attach(c1, "jobs", 5);
        fx.core.attach(c2, "jobs", 5);
        fx.sink.room(c1, 0);

        fx.enqueueAll("jobs", "a", "b");

        assertThat(fx.sink.texts(c2)).containsExactly("a", "b");
    }

    @Test
    void shouldRetryARefusedConsumerWhenTheTransportCallsDeliver() {
        fx.core.attach(c1, "jobs", 5);
        fx.sink.room(c1, 0);
        fx.enqueueAll("jobs", "a", "b");
        fx.sink.unlimited(c1);

        assertThat(fx.core.deliver("jobs")).isEqualTo(2);
        assertThat(fx.sink.texts(c1)).containsExactly("a", "b");
        assertThat(fx.core.deliver("unknown")).isZero();
    }

    @Test
    void shouldKeepTheBooksWhenTheSinkThrows() {
        fx.core.attach(c1, "jobs", 5);
        fx.sink.throwing = true;

        assertThatThrownBy(() -> fx.enqueue("jobs", "a")).isInstanceOf(IllegalStateException.class);

        assertThat(fx.core.list("jobs", 10)).extracting(MessageSnapshot::state).containsExactly(DeliveryState.READY);
        fx.sink.throwing = false;
        fx.runTimers();
        assertThat(fx.sink.texts(c1)).containsExactly("a");
        assertThat(fx.sink.last(c1).deliveries()).isEqualTo(1);
    }

    @Test
    void shouldRedeliverToAnotherConsumerAfterTheAckTimeout() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");
        long firstTag = fx.sink.last(c1).tag();
        fx.core.attach(c2, "jobs", 1);
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 1_000);

        fx.advanceMillis(999);
        fx.runTimers();
        assertThat(fx.sink.to(c2)).isEmpty();
        fx.advanceMillis(1);
        fx.runTimers();

        Delivery again = fx.sink.last(c2);
        assertThat(QueueFixture.text(again.body())).isEqualTo("a");
        assertThat(again.deliveries()).isEqualTo(2);
        assertThat(again.redelivered()).isTrue();
        assertThat(again.tag()).isNotEqualTo(firstTag);
        assertThat(fx.core.ack(c1, firstTag)).as("the late ack of the first delivery").isFalse();
        assertThat(fx.core.ack(c2, again.tag())).isTrue();
        assertThat(fx.journal.lines).containsExactly("append jobs#1", "IN_FLIGHT jobs#1 1", "READY jobs#1 1",
                "IN_FLIGHT jobs#1 2", "ack jobs#1");
        assertThat(fx.view("jobs").redelivered()).isEqualTo(1);
    }

    @Test
    void shouldRedeliverToTheSameConsumerWhenNoOtherCanTakeIt() {
        fx.core.attach(c1, "jobs", 1);
        fx.core.attach(c2, "jobs", 1);
        fx.enqueue("jobs", "a");
        fx.advanceAndRunTimers(500);
        fx.enqueue("jobs", "b");   // c1 holds a, c2 holds b: neither has credit

        fx.advanceAndRunTimers(500);   // a times out; only c1 has credit again
        fx.advanceAndRunTimers(500);   // b times out; only c2 has credit again

        assertThat(fx.sink.texts(c1)).containsExactly("a", "a");
        assertThat(fx.sink.texts(c2)).containsExactly("b", "b");
        assertThat(fx.sink.last(c1).deliveries()).isEqualTo(2);
    }

    @Test
    void shouldRequeueANackedMessageAtItsOriginalPosition() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueueAll("jobs", "a", "b", "c");

        assertThat(fx.core.nack(c1, fx.sink.last(c1).tag(), true, Duration.ZERO)).isTrue();

        assertThat(fx.sink.texts(c1)).containsExactly("a", "a");
        assertThat(fx.sink.last(c1).deliveries()).isEqualTo(2);
        assertThat(fx.held("jobs")).containsExactly("a", "b", "c");
    }

    @Test
    void shouldRequeueANackedMessageAfterItsDelay() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueueAll("jobs", "a", "b");

        fx.core.nack(c1, fx.sink.last(c1).tag(), true, Duration.ofMillis(500));

        assertThat(fx.sink.texts(c1)).containsExactly("a", "b");
        assertThat(fx.view("jobs").delayed()).isEqualTo(1);
        assertThat(fx.journal.lines).contains("DELAYED jobs#1 1");
        fx.ackLast(c1);
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 500);
        fx.advanceAndRunTimers(499);
        assertThat(fx.sink.texts(c1)).containsExactly("a", "b");

        fx.advanceAndRunTimers(1);
        assertThat(fx.sink.texts(c1)).containsExactly("a", "b", "a");
        assertThat(fx.sink.last(c1).deliveries()).isEqualTo(2);
        assertThat(fx.view("jobs").delayed()).isZero();
    }

    @Test
    void shouldDeadLetterANackWithoutRequeueAsRejected() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");

        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);

        MessageSnapshot dead = fx.core.list("jobs.dlq", 10).get(0);
        assertThat(dead.headers().get(QueueCore.REASON_HEADER)).isEqualTo("rejected");
        assertThat(dead.headers().get(QueueCore.ORIGINAL_QUEUE_HEADER)).isEqualTo("jobs");
        assertThat(fx.held("jobs")).isEmpty();
    }

    @Test
    void shouldReturnUnackedMessagesInOrderInFrontWhenAConsumerDetaches() {
        fx.core.attach(c1, "jobs", 3);
        fx.enqueueAll("jobs", "a", "b", "c", "d", "e");

        assertThat(fx.core.detach(c1)).isEqualTo(3);

        assertThat(fx.held("jobs")).containsExactly("a", "b", "c", "d", "e");
        assertThat(fx.view("jobs").unacked()).isZero();
        assertThat(fx.view("jobs").consumers()).isZero();
        fx.core.attach(c2, "jobs", 10);
        assertThat(fx.sink.texts(c2)).containsExactly("a", "b", "c", "d", "e");
        assertThat(fx.sink.to(c2)).extracting(Delivery::deliveries).containsExactly(2, 2, 2, 1, 1);
        assertThat(fx.core.detach(c1)).isZero();
    }

    @Test
    void shouldReturnTheMessagesOfEveryConsumerOfAGonePeer() {
        ConsumerKey c1b = new ConsumerKey(peer("p1"), 2);
        fx.core.attach(c1, "jobs", 5);
        fx.core.attach(c1b, "mail", 5);
        fx.core.attach(c2, "jobs", 5);
        fx.enqueueAll("jobs", "a", "b");
        fx.enqueue("mail", "m");

        fx.core.onPeerGone(peer("p1"));

        assertThat(fx.core.status().consumers()).extracting(QueueStatus.ConsumerView::key).containsExactly(c2);
        assertThat(fx.sink.texts(c2)).containsExactly("b", "a");
        assertThat(fx.core.list("mail", 10)).extracting(MessageSnapshot::state).containsExactly(DeliveryState.READY);
    }

    @Test
    void shouldRefuseAttachingToASecondQueueAndChangeThePrefetchOnReattach() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueueAll("jobs", "a", "b", "c");

        assertThat(fx.core.attach(c1, "mail", 1)).isFalse();
        assertThat(fx.core.attach(c1, "jobs", 3)).isTrue();

        assertThat(fx.sink.texts(c1)).containsExactly("a", "b", "c");
        assertThat(fx.core.attach(c1, "jobs", 1)).isTrue();
        fx.ackLast(c1);
        fx.enqueue("jobs", "d");
        assertThat(fx.sink.texts(c1)).as("2 unacked, prefetch 1: no credit").containsExactly("a", "b", "c");
    }

    @Test
    void shouldIgnoreAcksAndNacksForUnknownConsumersOrTags() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");
        long tag = fx.sink.last(c1).tag();

        assertThat(fx.core.ack(c2, tag)).isFalse();
        assertThat(fx.core.ack(c1, tag + 1)).isFalse();
        assertThat(fx.core.nack(c2, tag, true, Duration.ZERO)).isFalse();
        assertThat(fx.core.ack(c1, tag)).isTrue();
        assertThat(fx.core.ack(c1, tag)).isFalse();
        assertThat(fx.journal.lines).containsExactly("append jobs#1", "IN_FLIGHT jobs#1 1", "ack jobs#1");
    }

    @Test
    void shouldWakeForTheEarliestOfAckTimeoutsDelaysAndExpiries() {
        assertThat(fx.runTimers()).isEqualTo(Long.MAX_VALUE);
        fx.core.declare("ttl", settings().withTtl(Duration.ofMillis(700)));
        fx.enqueue("ttl", "t");
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 700);
        fx.core.attach(c1, "jobs", 2);
        fx.enqueueAll("jobs", "a", "b");
        fx.core.nack(c1, fx.sink.to(c1).get(1).tag(), true, Duration.ofMillis(300));
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 300);
        fx.advanceMillis(300);
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 700);
    }

    @Test
    void shouldListEveryMessageInSeqOrderWithItsStateUpToTheLimit() {
        fx.core.attach(c1, "jobs", 2);
        fx.enqueueAll("jobs", "a", "b", "c", "d");
        fx.core.nack(c1, fx.sink.to(c1).get(0).tag(), true, Duration.ofSeconds(5));   // a waits, c goes out

        List<MessageSnapshot> all = fx.core.list("jobs", 10);

        assertThat(all).extracting(m -> QueueFixture.text(m.body())).containsExactly("a", "b", "c", "d");
        assertThat(all).extracting(MessageSnapshot::state).containsExactly(DeliveryState.DELAYED,
                DeliveryState.IN_FLIGHT, DeliveryState.IN_FLIGHT, DeliveryState.READY);
        assertThat(fx.core.list("jobs", 2)).extracting(MessageSnapshot::seq).containsExactly(1L, 2L);
        assertThat(fx.core.list("nothing", 2)).isEmpty();
        assertThat(fx.core.list("jobs", 0)).isEmpty();
        assertThat(all.get(0).headers()).isEqualTo(Headers.EMPTY);
    }
}
