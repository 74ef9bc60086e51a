package io.courier.broker.queue;

import static io.courier.broker.queue.QueueCore.ORIGINAL_QUEUE_HEADER;
import static io.courier.broker.queue.QueueCore.REASON_HEADER;
import static io.courier.broker.queue.QueueFixture.START_LOOP_MILLIS;
import static io.courier.broker.queue.QueueFixture.START_WALL_MILLIS;
import static io.courier.broker.queue.QueueFixture.body;
import static io.courier.broker.queue.QueueFixture.consumer;
import static io.courier.broker.queue.QueueFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Headers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueueCoreDeadLetterTest {
    private final QueueFixture fx = new QueueFixture(settings());
    private final ConsumerKey c1 = consumer("p1", 1);
    private final ConsumerKey c2 = consumer("p2", 1);

    @Test
    void shouldDeadLetterAfterMaxDeliveriesWithReasonHeadersAndCount() {
        fx.core.attach(c1, "jobs", 1);
        fx.core.enqueue("jobs", "m-1", QueueFixture.headers("k", "v"), body("a"), Duration.ZERO);

        for (int i = 0; i < 3; i++) {
            fx.core.nack(c1, fx.sink.last(c1).tag(), true, Duration.ZERO);
        }

        assertThat(fx.sink.texts(c1)).containsExactly("a", "a", "a");
        List<MessageSnapshot> dead = fx.core.list("jobs.dlq", 10);
        assertThat(dead).hasSize(1);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("k", "v");
        headers.put(REASON_HEADER, "max deliveries (3) exceeded");
        headers.put(ORIGINAL_QUEUE_HEADER, "jobs");
        assertThat(dead.get(0).headers().asMap()).containsExactlyEntriesOf(headers);
        assertThat(dead.get(0).deliveries()).isEqualTo(3);
        assertThat(dead.get(0).producerId()).isEqualTo("m-1");
        assertThat(fx.held("jobs")).isEmpty();
        assertThat(fx.view("jobs").deadLettered()).isEqualTo(1);
        assertThat(fx.view("jobs").deadLetters()).isEqualTo(1);
        assertThat(fx.view("jobs.dlq").enqueued()).isEqualTo(1);
        assertThat(fx.journal.lines).endsWith("deadLetter jobs#1 -> jobs.dlq#1");
        assertThat(fx.journal.stored("jobs")).isEmpty();
        assertThat(fx.journal.stored("jobs.dlq")).extracting(RestoredMessage::deliveries).containsExactly(3);
    }

    @Test
    void shouldDeadLetterAfterMaxDeliveriesByAckTimeouts() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");

        fx.advanceAndRunTimers(1_000);
        fx.advanceAndRunTimers(1_000);
        fx.advanceAndRunTimers(1_000);

        assertThat(fx.sink.to(c1)).extracting(Delivery::deliveries).containsExactly(1, 2, 3);
        assertThat(fx.core.list("jobs.dlq", 1).get(0).headers().get(REASON_HEADER))
                .isEqualTo("max deliveries (3) exceeded");
        assertThat(fx.view("jobs").redelivered()).isEqualTo(2);
    }

    @Test
    void shouldGiveADeadLetterItsOwnMaxDeliveriesInTheDeadLetterQueue() {
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");
        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);
        fx.core.attach(c2, "jobs.dlq", 1);

        fx.core.nack(c2, fx.sink.last(c2).tag(), true, Duration.ZERO);
        fx.core.nack(c2, fx.sink.last(c2).tag(), true, Duration.ZERO);

        assertThat(fx.sink.to(c2)).extracting(Delivery::deliveries).containsExactly(2, 3, 4);
        assertThat(fx.core.list("jobs.dlq", 10)).extracting(MessageSnapshot::priorDeliveries).containsExactly(1);
        fx.core.nack(c2, fx.sink.last(c2).tag(), true, Duration.ZERO);
        assertThat(fx.core.list("jobs.dlq.dlq", 10)).extracting(MessageSnapshot::deliveries).containsExactly(4);
    }

    @Test
    void shouldExpireReadyMessagesToTheDeadLetterQueueByTheQueueTtl() {
        fx.core.declare("jobs", settings().withTtl(Duration.ofSeconds(1)));
        fx.enqueue("jobs", "a");
        fx.advanceMillis(400);
        fx.enqueue("jobs", "b");
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 1_000);

        fx.advanceAndRunTimers(600);

        assertThat(fx.held("jobs")).containsExactly("b");
        MessageSnapshot dead = fx.core.list("jobs.dlq", 10).get(0);
        assertThat(dead.headers().get(REASON_HEADER)).isEqualTo("expired");
        assertThat(dead.deliveries()).isZero();
        assertThat(fx.view("jobs").expired()).isEqualTo(1);
        assertThat(fx.view("jobs").deadLettered()).isEqualTo(1);
        assertThat(fx.runTimers()).isEqualTo(START_LOOP_MILLIS + 1_400);
    }

    @Test
    void shouldDropExpiredMessagesWithTheDropPolicy() {
        fx.core.declare("jobs", settings().withTtl(Duration.ofSeconds(1)).withExpiredPolicy(ExpiredPolicy.DROP));
        fx.enqueue("jobs", "a");

        fx.advanceAndRunTimers(1_000);

        assertThat(fx.held("jobs")).isEmpty();
        assertThat(fx.core.list("jobs.dlq", 10)).isEmpty();
        assertThat(fx.journal.lines).containsExactly("append jobs#1", "drop jobs#1 expired");
        assertThat(fx.view("jobs").expired()).isEqualTo(1);
        assertThat(fx.view("jobs").dropped()).isEqualTo(1);
        assertThat(fx.view("jobs").deadLettered()).isZero();
    }

    @Test
    void shouldApplyTheShorterOfTheQueueAndMessageTtl() {
        fx.core.declare("long", settings().withTtl(Duration.ofSeconds(10)));
        fx.core.declare("short", settings().withTtl(Duration.ofSeconds(1)));

        assertThat(expiresAt("long", Duration.ofSeconds(2))).isEqualTo(START_WALL_MILLIS + 2_000);
        assertThat(expiresAt("long", Duration.ZERO)).isEqualTo(START_WALL_MILLIS + 10_000);
        assertThat(expiresAt("short", Duration.ofSeconds(5))).isEqualTo(START_WALL_MILLIS + 1_000);
        assertThat(expiresAt("none", Duration.ofSeconds(3))).isEqualTo(START_WALL_MILLIS + 3_000);
        assertThat(expiresAt("none", Duration.ofNanos(1))).isEqualTo(START_WALL_MILLIS + 1);
        assertThat(expiresAt("none", Duration.ZERO)).isZero();
    }

    @Test
    void shouldExpireByAMessageTtlBeforeOlderMessages() {
        fx.enqueue("jobs", "a");
        fx.core.enqueue("jobs", null, Headers.EMPTY, body("b"), Duration.ofMillis(200));

        fx.advanceAndRunTimers(200);

        assertThat(fx.held("jobs")).containsExactly("a");
        assertThat(fx.held("jobs.dlq")).containsExactly("b");
    }

    @Test
    void shouldNotExpireAMessageInFlightButOnceItComesBack() {
        fx.core.declare("jobs", settings().withTtl(Duration.ofSeconds(1)).withAckTimeout(Duration.ofSeconds(5)));
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");

        fx.advanceAndRunTimers(2_000);
        assertThat(fx.core.list("jobs", 1).get(0).state()).isEqualTo(DeliveryState.IN_FLIGHT);

        fx.core.nack(c1, fx.sink.last(c1).tag(), true, Duration.ZERO);
        assertThat(fx.sink.texts(c1)).containsExactly("a");
        assertThat(fx.held("jobs.dlq")).containsExactly("a");
        assertThat(fx.core.list("jobs.dlq", 1).get(0).headers().get(REASON_HEADER)).isEqualTo("expired");
    }

    @Test
    void shouldExpireADelayedMessageWhenItsTtlEndsFirst() {
        fx.core.declare("jobs", settings().withTtl(Duration.ofSeconds(1)));
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");
        fx.core.nack(c1, fx.sink.last(c1).tag(), true, Duration.ofSeconds(5));

        fx.advanceAndRunTimers(1_000);

        assertThat(fx.held("jobs")).isEmpty();
        assertThat(fx.view("jobs").delayed()).isZero();
        assertThat(fx.held("jobs.dlq")).containsExactly("a");
        fx.advanceAndRunTimers(5_000);
        assertThat(fx.sink.texts(c1)).containsExactly("a");
    }

    @Test
    void shouldSendDeadLettersToTheConfiguredDeadLetterQueue() {
        fx.core.declare("jobs", settings().withDeadLetterQueue("failed"));
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");

        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);

        assertThat(fx.held("failed")).containsExactly("a");
        assertThat(fx.view("jobs").deadLetters()).isEqualTo(1);
    }

    @Test
    void shouldDropTheDeadLettersOfAQueueThatIsItsOwnDeadLetterQueue() {
        fx.core.declare("jobs", settings().withDeadLetterQueue("jobs"));
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");

        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);

        assertThat(fx.held("jobs")).isEmpty();
        assertThat(fx.journal.lines).endsWith("drop jobs#1 rejected, and the queue is its own dead-letter queue");
        assertThat(fx.view("jobs").dropped()).isEqualTo(1);
        assertThat(fx.view("jobs").deadLetters()).isZero();
    }

    @Test
    void shouldReplayDeadLettersToTheirOriginalQueueWithTheCountReset() {
        fx.core.attach(c1, "jobs", 2);
        fx.core.enqueue("jobs", "m-1", QueueFixture.headers("k", "v"), body("a"), Duration.ZERO);
        fx.enqueue("jobs", "b");
        fx.core.nack(c1, fx.sink.to(c1).get(0).tag(), false, Duration.ZERO);
        fx.core.nack(c1, fx.sink.to(c1).get(1).tag(), false, Duration.ZERO);
        fx.core.detach(c1);
        fx.enqueue("jobs", "c");

        assertThat(fx.core.replay("jobs.dlq", 1)).isEqualTo(1);

        assertThat(fx.held("jobs")).containsExactly("c", "a");
        assertThat(fx.held("jobs.dlq")).containsExactly("b");
        MessageSnapshot back = fx.core.list("jobs", 10).get(1);
        assertThat(back.seq()).isEqualTo(4);
        assertThat(back.deliveries()).isZero();
        assertThat(back.priorDeliveries()).isZero();
        assertThat(back.headers().asMap()).containsExactly(Map.entry("k", "v"));
        assertThat(back.producerId()).isEqualTo("m-1");
        assertThat(fx.journal.lines).endsWith("replay jobs.dlq#1 -> jobs#4");
        assertThat(fx.view("jobs.dlq").replayed()).isEqualTo(1);

        assertThat(fx.core.replay("jobs.dlq", 10)).isEqualTo(1);
        fx.core.attach(c2, "jobs", 10);
        assertThat(fx.sink.texts(c2)).containsExactly("c", "a", "b");
        assertThat(fx.sink.to(c2)).extracting(Delivery::deliveries).containsExactly(1, 1, 1);
    }

    @Test
    void shouldStopReplayingAtAFullQueueAndKeepTheRestInOrder() {
        fx.core.attach(c1, "jobs", 2);
        fx.enqueueAll("jobs", "a", "b");
        fx.core.nack(c1, fx.sink.to(c1).get(0).tag(), false, Duration.ZERO);
        fx.core.nack(c1, fx.sink.to(c1).get(1).tag(), false, Duration.ZERO);
        fx.core.detach(c1);
        fx.core.declare("jobs", settings().withMaxMessages(1));
        fx.enqueue("jobs", "c");

        assertThat(fx.core.replay("jobs.dlq", 10)).isZero();

        assertThat(fx.held("jobs.dlq")).containsExactly("a", "b");
        assertThat(fx.held("jobs")).containsExactly("c");
    }

    @Test
    void shouldLeaveMessagesWithoutAnOriginalQueueInTheDeadLetterQueue() {
        fx.enqueue("jobs.dlq", "direct");
        fx.core.attach(c1, "jobs", 1);
        fx.enqueue("jobs", "a");
        fx.core.nack(c1, fx.sink.last(c1).tag(), false, Duration.ZERO);

        assertThat(fx.core.replay("jobs.dlq", 5)).isEqualTo(1);

        assertThat(fx.held("jobs.dlq")).containsExactly("direct");
        assertThat(fx.core.replay("unknown", 5)).isZero();
    }

    @Test
    void shouldPurgeReadyAndDelayedMessagesButKeepThoseInFlight() {
        fx.core.attach(c1, "jobs", 2);
        fx.enqueueAll("jobs", "a", "b", "c", "d");
        fx.core.nack(c1, fx.sink.to(c1).get(0).tag(), true, Duration.ofSeconds(5));   // a delayed; c goes out

        assertThat(fx.core.purge("jobs")).isEqualTo(2);

        assertThat(fx.held("jobs")).containsExactly("b", "c");
        assertThat(fx.journal.lines).contains("drop jobs#4 purged", "drop jobs#1 purged");
        assertThat(fx.view("jobs").dropped()).isEqualTo(2);
        assertThat(fx.view("jobs").depth()).isZero();
        assertThat(fx.core.purge("unknown")).isZero();
        fx.advanceAndRunTimers(5_000);   // the purged delay has nothing left to do
        assertThat(fx.held("jobs")).containsExactly("b", "c");
    }

    private long expiresAt(String queue, Duration ttl) {
        long seq = fx.core.enqueue(queue, null, Headers.EMPTY, body("x"), ttl).seq();
        return fx.core.list(queue, Integer.MAX_VALUE).stream().filter(m -> m.seq() == seq).findFirst()
                .orElseThrow().expiresAtMillis();
    }
}
