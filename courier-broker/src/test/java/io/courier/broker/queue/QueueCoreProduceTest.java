package io.courier.broker.queue;

import static io.courier.broker.queue.QueueFixture.body;
import static io.courier.broker.queue.QueueFixture.consumer;
import static io.courier.broker.queue.QueueFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.broker.queue.EnqueueResult.Outcome;
import io.courier.protocol.Headers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueueCoreProduceTest {
    private final QueueFixture fx = new QueueFixture(settings());

    @Test
    void shouldAcceptWithIncreasingSeqsAndJournalEachAppend() {
        assertThat(fx.enqueue("jobs", "a")).isEqualTo(fx.accepted(1));
        assertThat(fx.enqueue("jobs", "b").seq()).isEqualTo(2);
        assertThat(fx.enqueue("other", "c").seq()).isEqualTo(1);

        assertThat(fx.journal.lines).containsExactly("append jobs#1", "append jobs#2", "append other#1");
        assertThat(fx.journal.stored("jobs")).extracting(RestoredMessage::seq).containsExactly(1L, 2L);
        MessageSnapshot first = fx.core.list("jobs", 1).get(0);
        assertThat(first.enqueuedAtMillis()).isEqualTo(QueueFixture.START_WALL_MILLIS);
        assertThat(first.expiresAtMillis()).isZero();
        assertThat(first.deliveries()).isZero();
        assertThat(first.state()).isEqualTo(DeliveryState.READY);
    }

    @Test
    void shouldCreateQueuesOnFirstUseWithTheDefaults() {
        fx.enqueue("jobs", "a");
        fx.core.attach(consumer("p", 1), "idle", 1);

        assertThat(fx.core.status().queues()).extracting(QueueStatus.QueueView::name).containsExactly("idle", "jobs");
        QueueStatus.QueueView jobs = fx.view("jobs");
        assertThat(jobs.depth()).isEqualTo(1);
        assertThat(jobs.enqueued()).isEqualTo(1);
        assertThat(jobs.bytes()).isEqualTo(1);
    }

    @Test
    void shouldAnswerDuplicateWithTheOriginalSeqWithinTheWindowAndChangeNothing() {
        fx.enqueue("jobs", "x");
        assertThat(fx.enqueue("jobs", "p-1", "a").seq()).isEqualTo(2);
        fx.advanceMillis(9_999);

        assertThat(fx.enqueue("jobs", "p-1", "a again")).isEqualTo(fx.duplicate(2));
        assertThat(fx.held("jobs")).containsExactly("x", "a");
        assertThat(fx.journal.lines).containsExactly("append jobs#1", "append jobs#2");
        assertThat(fx.view("jobs").duplicates()).isEqualTo(1);
        assertThat(fx.view("jobs").enqueued()).isEqualTo(2);
    }

    @Test
    void shouldAnswerDuplicateEvenAfterTheOriginalWasAcked() {
        ConsumerKey c = consumer("p", 1);
        fx.core.attach(c, "jobs", 1);
        fx.enqueue("jobs", "p-1", "a");
        fx.ackLast(c);

        assertThat(fx.enqueue("jobs", "p-1", "a again").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(fx.sink.texts()).containsExactly("a");
    }

    @Test
    void shouldAcceptTheSameProducerIdAgainOnceTheWindowHasPassed() {
        fx.enqueue("jobs", "p-1", "a");
        fx.advanceMillis(10_000);

        assertThat(fx.enqueue("jobs", "p-1", "a again")).isEqualTo(fx.accepted(2));
        fx.advanceMillis(9_999);
        assertThat(fx.enqueue("jobs", "p-1", "a third time")).isEqualTo(fx.duplicate(2));
        assertThat(fx.held("jobs")).containsExactly("a", "a again");
    }

    @Test
    void shouldForgetProducerIdsOfIdleQueuesInTheTimerSweep() {
        fx.enqueue("jobs", "p-1", "a");
        fx.advanceAndRunTimers(10_000);

        assertThat(fx.enqueue("jobs", "p-1", "b").outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldNotDeduplicateWithoutAProducerIdOrWithTheWindowOff() {
        fx.core.declare("nodedup", settings().withDedupWindow(Duration.ZERO));

        assertThat(fx.enqueue("jobs", "a").seq()).isEqualTo(1);
        assertThat(fx.enqueue("jobs", "a").seq()).isEqualTo(2);
        assertThat(fx.enqueue("nodedup", "p-1", "a").seq()).isEqualTo(1);
        assertThat(fx.enqueue("nodedup", "p-1", "a").seq()).isEqualTo(2);
    }

    @Test
    void shouldForgetTheOldestProducerIdEarlyPastDedupMaxIdsAndCountIt() {
        fx.core.declare("jobs", settings().withDedupMaxIds(2));
        fx.enqueue("jobs", "p-1", "a");
        fx.enqueue("jobs", "p-2", "b");
        fx.enqueue("jobs", "p-3", "c");   // p-1 forgotten, well within the window

        assertThat(fx.enqueue("jobs", "p-3", "c again").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(fx.enqueue("jobs", "p-1", "a again")).isEqualTo(fx.accepted(4));
        QueueStatus.QueueView jobs = fx.view("jobs");
        assertThat(jobs.dedupIds()).isEqualTo(2);
        assertThat(jobs.dedupEvicted()).isEqualTo(2);
    }

    @Test
    void shouldApplyALowerDedupMaxIdsLiveInTheTimerSweep() {
        for (int i = 1; i <= 5; i++) {
            fx.enqueue("jobs", "p-" + i, "m" + i);
        }

        fx.core.declare("jobs", settings().withDedupMaxIds(3));
        fx.advanceAndRunTimers(1_000);

        assertThat(fx.view("jobs").dedupIds()).isEqualTo(3);
        assertThat(fx.view("jobs").dedupEvicted()).isEqualTo(2);
        assertThat(fx.enqueue("jobs", "p-3", "again").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(fx.enqueue("jobs", "p-2", "again").outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldKeepProducerIdsPerQueue() {
        assertThat(fx.enqueue("a", "p-1", "x").outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(fx.enqueue("b", "p-1", "x").outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseWhenFullByCountAndKeepWhatItHas() {
        fx.core.declare("jobs", settings().withMaxMessages(3));
        ConsumerKey c = consumer("p", 1);
        fx.core.attach(c, "jobs", 1);
        fx.enqueueAll("jobs", "a", "b", "c");   // a is in flight: it still counts

        EnqueueResult refused = fx.enqueue("jobs", "p-9", "d");

        assertThat(refused.outcome()).isEqualTo(Outcome.FULL);
        assertThat(refused.seq()).isZero();
        assertThat(refused.detail()).isEqualTo("queue 'jobs' holds 3 messages, the most allowed [maxMessages=3]");
        assertThat(fx.held("jobs")).containsExactly("a", "b", "c");
        assertThat(fx.journal.lines).filteredOn(l -> l.startsWith("append")).hasSize(3);
        assertThat(fx.view("jobs").refused()).isEqualTo(1);

        fx.ackLast(c);   // makes room; the refused producer id was not remembered
        assertThat(fx.enqueue("jobs", "p-9", "d")).isEqualTo(fx.accepted(4));
        assertThat(fx.held("jobs")).containsExactly("b", "c", "d");
    }

    @Test
    void shouldRefuseWhenFullByBytesCountingHeaders() {
        Headers headers = QueueFixture.headers("k", "v");   // encodes to 1 + 1 + 2 + 1 = 5 bytes
        fx.core.declare("jobs", settings().withMaxBytes(10));
        assertThat(fx.core.enqueue("jobs", null, headers, body("12345"), Duration.ZERO).outcome())
                .isEqualTo(Outcome.ACCEPTED);

        EnqueueResult refused = fx.enqueue("jobs", "x");

        assertThat(refused.outcome()).isEqualTo(Outcome.FULL);
        assertThat(refused.detail()).isEqualTo("queue 'jobs' holds 10 bytes and the message has 1 [maxBytes=10]");
        assertThat(fx.view("jobs").bytes()).isEqualTo(10);
        assertThat(fx.held("jobs")).containsExactly("12345");
    }

    @Test
    void shouldApplyLowerLimitsToNewMessagesOnlyKeepingWhatIsHeld() {
        fx.enqueueAll("jobs", "a", "b", "c");
        fx.core.declare("jobs", settings().withMaxMessages(2));

        assertThat(fx.enqueue("jobs", "d").outcome()).isEqualTo(Outcome.FULL);
        assertThat(fx.held("jobs")).containsExactly("a", "b", "c");
    }

    @Test
    void shouldRefuseBadArgumentsNamingThem() {
        assertThatThrownBy(() -> fx.enqueue("", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a queue name must be 1 to 255 bytes of UTF-8 [queue=]");
        assertThatThrownBy(() -> fx.enqueue("q".repeat(256), "a")).hasMessageContaining("1 to 255 bytes");
        assertThatThrownBy(() -> fx.core.enqueue("jobs", null, Headers.EMPTY, body("a"), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a message's ttl must not be negative [queue=jobs, ttl=PT-0.001S]");
        assertThatThrownBy(() -> fx.core.attach(consumer("p", 1), "jobs", 0))
                .hasMessage("prefetch must be >= 1 [consumer=70/1, prefetch=0]");
        assertThat(fx.core.status().queues()).isEmpty();
    }
}
