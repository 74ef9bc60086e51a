package io.courier.broker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.Headers;
import io.courier.store.DurableStore;
import io.courier.store.Recovered;
import io.courier.store.StorageException;
import io.courier.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal gathers a pass's writes and hands them to the store as one command on {@link StoreJournal#flush}:
 * the appends of a pass share one future, nothing is stored before the flush, and what was flushed is what a
 * reopened store holds.
 */
@Timeout(20)
class StoreJournalTest {
    @TempDir
    Path data;

    @Test
    void shouldStoreAPassAsOneCommandOnFlush() throws Exception {
        try (DurableStore store = DurableStore.open(data, StoreSettings.defaults())) {
            StoreJournal journal = new StoreJournal(store, 10_000);
            CompletableFuture<Void> first = journal.append(message("orders", 1));
            CompletableFuture<Void> second = journal.append(message("orders", 2));

            assertThat(second).as("appends of one pass share their command's future").isSameAs(first);
            assertThat(first).as("nothing goes to the store before the end of the pass").isNotDone();
            journal.flush();
            first.get(5, TimeUnit.SECONDS);

            journal.ack("orders", 1);
            CompletableFuture<Void> next = journal.append(message("orders", 3));
            assertThat(next).as("a new pass, a new command").isNotSameAs(first);
            journal.flush();
            next.get(5, TimeUnit.SECONDS);
            journal.flush();   // nothing gathered: nothing to do
        }
        try (DurableStore reopened = DurableStore.open(data, StoreSettings.defaults())) {
            Recovered recovered = reopened.takeRecovered();
            assertThat(recovered.queues().get("orders")).extracting(m -> m.sequence()).containsExactly(2L, 3L);
            assertThat(recovered.metadata()).containsKey(StoreJournal.SEQ_FLOOR_KEY + "orders");
        }
    }

    @Test
    void shouldHandAFullPassToTheStoreWithoutWaitingForItsEnd() throws Exception {
        try (DurableStore store = DurableStore.open(data, StoreSettings.defaults())) {
            StoreJournal journal = new StoreJournal(store, 100_000);
            CompletableFuture<Void> early = journal.append(message("bulk", 1));
            CompletableFuture<Void> late = null;
            for (long seq = 2; seq <= StoreJournal.PASS_WRITES + 10; seq++) {
                late = journal.append(message("bulk", seq));
            }

            assertThat(late).isNotSameAs(early);
            early.get(5, TimeUnit.SECONDS);   // handed over when the pass reached its limit
            assertThat(late).isNotDone();
            journal.flush();
            late.get(5, TimeUnit.SECONDS);
        }
        try (DurableStore reopened = DurableStore.open(data, StoreSettings.defaults())) {
            assertThat(reopened.takeRecovered().queues().get("bulk")).hasSize(StoreJournal.PASS_WRITES + 10);
        }
    }

    @Test
    void shouldRefuseEnqueuesWhileTheStoreIsBusyAndOnceItFailed() {
        try (DurableStore store = DurableStore.open(data, StoreSettings.defaults())) {
            assertThat(new StoreJournal(store, 8).refusal()).as("nothing pending").isNull();
            assertThat(new StoreJournal(store, 0).refusal()).as("no room kept for the acks and moves").isEqualTo(
                    new StoreJournal.Refusal(false, "store busy: 0 writes pending (store.mailboxCapacity 0)"));

            StoreJournal failing = new StoreJournal(store, 8);
            failing.onFailure(new StorageException("disk full"));
            assertThat(failing.refusal()).isEqualTo(new StoreJournal.Refusal(true,
                    "the store failed (disk full [reason=UNAVAILABLE])"));
            assertThat(failing.status().failed()).isTrue();
            assertThat(failing.status().writeFailures()).isEqualTo(1);
        }
    }

    private static MessageSnapshot message(String queue, long seq) {
        return new MessageSnapshot(queue, seq, "p-" + seq, Headers.EMPTY,
                new byte[][] {("body " + seq).getBytes(StandardCharsets.UTF_8)}, 1_000, 0, 0, 0, DeliveryState.READY);
    }
}
