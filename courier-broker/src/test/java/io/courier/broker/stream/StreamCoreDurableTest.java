package io.courier.broker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.StreamStart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Durable streams: what the core journals, what it forgets as the log evicts, and what a restore puts back. */
@Timeout(10)
class StreamCoreDurableTest {
    private static final StreamSettings SETTINGS = StreamFixture.settings(3, 100).withRules(List.of(
            new PatternRetention("audit.*", new Retention(3, 1L << 30, Duration.ofHours(1), true))));

    /** Records the journal's calls as text: {@code +topic:seq} and {@code -topic:from..to}. */
    private static final class RecordingJournal implements StreamJournal {
        final List<String> calls = new ArrayList<>();
        final List<StreamMessage> appended = new ArrayList<>();

        @Override
        public void append(StreamMessage message) {
            calls.add("+" + message.topic() + ":" + message.seq());
            appended.add(message);
        }

        @Override
        public void evict(String topic, long fromSeq, long toSeq) {
            calls.add("-" + topic + ":" + fromSeq + ".." + toSeq);
        }
    }

    @Test
    void shouldJournalDurableStreamsOnlyAndForgetWhatTheLogEvicts() {
        StreamFixture fx = new StreamFixture(SETTINGS);
        RecordingJournal journal = new RecordingJournal();
        fx.core.useJournal(journal);

        fx.publish("audit.login", 5);   // keeps 3: seqs 3..5
        fx.publish("orders", 5);        // in memory only

        assertThat(journal.calls).containsExactly("+audit.login:1", "+audit.login:2", "+audit.login:3",
                "+audit.login:4", "-audit.login:1..1", "+audit.login:5", "-audit.login:2..2");
    }

    @Test
    void shouldKeepTheHeadInTheStoreWhenAgeEvictsEverything() {
        StreamFixture fx = new StreamFixture(StreamFixture.settings(100, 100).withRules(List.of(
                new PatternRetention("audit.*", new Retention(100, 1L << 30, Duration.ofSeconds(1), true)))));
        RecordingJournal journal = new RecordingJournal();
        fx.core.useJournal(journal);
        fx.publish("audit.login", 3);

        fx.wallMillis += 5_000;
        fx.loopMillis += 5_000;
        fx.core.onTimers(fx.loopMillis);

        assertThat(fx.core.status().streams().get(0).retained()).as("all evicted in memory").isZero();
        assertThat(journal.calls).as("the store keeps seq 3, so numbering goes on after a restart")
                .endsWith("-audit.login:1..2");
    }

    @Test
    void shouldGoOnNumberingARestoredStreamAndServeItsHistory() {
        StreamFixture before = new StreamFixture(SETTINGS);
        RecordingJournal journal = new RecordingJournal();
        before.core.useJournal(journal);
        before.publish("audit.login", 3);

        StreamFixture after = new StreamFixture(SETTINGS);
        RecordingJournal next = new RecordingJournal();
        after.core.useJournal(next);
        after.core.restore("audit.login", journal.appended);

        assertThat(after.core.heads("audit.")).containsEntry("audit.login", 3L);
        assertThat(after.publish("audit.login")).isEqualTo(4);
        assertThat(next.calls).containsExactly("+audit.login:4", "-audit.login:1..1");
        after.subscribe(StreamFixture.peer("late"), 1, "audit.", StreamStart.FIRST);
        after.core.onTimers(after.loopMillis);
        assertThat(after.sink.seqs(StreamFixture.peer("late"), 1, "audit.login")).containsExactly(2L, 3L, 4L);
    }

    @Test
    void shouldDeleteTheStoredCopyOfAStreamNoLongerDurable() {
        StreamFixture before = new StreamFixture(SETTINGS);
        RecordingJournal journal = new RecordingJournal();
        before.core.useJournal(journal);
        before.publish("audit.login", 2);

        StreamFixture after = new StreamFixture(StreamFixture.settings(3, 100));
        RecordingJournal next = new RecordingJournal();
        after.core.useJournal(next);
        after.core.restore("audit.login", journal.appended);
        after.publish("audit.login");

        assertThat(next.calls).as("deleted at once, and nothing more journaled").containsExactly("-audit.login:1..2");
        assertThat(after.core.heads("audit.")).containsEntry("audit.login", 3L);
    }
}
