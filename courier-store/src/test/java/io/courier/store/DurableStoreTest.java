package io.courier.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courier.core.CourierException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class DurableStoreTest {
    @TempDir
    Path dir;

    private final List<DurableStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private DurableStore open(Path directory, StoreSettings settings) {
        DurableStore store = DurableStore.open(directory, settings);
        opened.add(store);
        return store;
    }

    private static byte[] payload(String queue, long sequence) {
        return (queue + "#" + sequence).getBytes(UTF_8);
    }

    @Test
    void shouldRecoverConfirmedMessagesInOrderWithDeliveryCountsAfterReopen() throws Exception {
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults())) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long seq = 0; seq < 300; seq++) {     // 256 and up cross a byte boundary of the big-endian sequence
                writes.add(store.putMessage("jobs", seq, payload("jobs", seq)));
                writes.add(store.putMessage("jobs.high", seq, payload("jobs.high", seq)));
            }
            writes.add(store.putMessage("a", 7, payload("a", 7)));
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, SECONDS);
            store.updateState("jobs", 5, 3, MessageState.DELIVERED).get(5, SECONDS);
            store.updateState("jobs", 5, 4, MessageState.READY).get(5, SECONDS);
            store.updateState("jobs.high", 299, 1, MessageState.DELIVERED).get(5, SECONDS);
            assertThat(store.takeRecovered().queues()).isEmpty();
        }

        Recovered recovered = open(dir, StoreSettings.defaults()).takeRecovered();

        assertThat(recovered.queues()).containsOnlyKeys("jobs", "jobs.high", "a");
        assertThat(recovered.messageCount()).isEqualTo(601);
        for (String queue : List.of("jobs", "jobs.high")) {
            List<StoredMessage> messages = recovered.queues().get(queue);
            assertThat(messages).extracting(StoredMessage::sequence)
                .containsExactlyElementsOf(sequences(0, 300));
            assertThat(messages).allSatisfy(m -> assertThat(m.payload()).isEqualTo(payload(queue, m.sequence())));
        }
        StoredMessage redelivered = recovered.queues().get("jobs").get(5);
        assertThat(redelivered.deliveryCount()).isEqualTo(4);
        assertThat(redelivered.state()).isEqualTo(MessageState.READY);
        StoredMessage leased = recovered.queues().get("jobs.high").get(299);
        assertThat(leased.deliveryCount()).isEqualTo(1);
        assertThat(leased.state()).isEqualTo(MessageState.DELIVERED);
        assertThat(recovered.queues().get("jobs").get(0).deliveryCount()).isZero();
        assertThat(recovered.queues().get("jobs").get(0).state()).isEqualTo(MessageState.READY);
    }

    @Test
    void shouldRecoverFromTheLogAfterACrash() throws Exception {
        DurableStore store = open(dir.resolve("live"), StoreSettings.defaults());
        for (long seq = 0; seq < 50; seq++) {
            store.putMessage("orders", seq, payload("orders", seq));
        }
        store.deleteMessage("orders", 10).get(5, SECONDS);  // confirmed: everything queued before it is written

        Path image = StoreFiles.crashImage(dir.resolve("live"), dir.resolve("crashed"));
        Recovered recovered = open(image, StoreSettings.defaults()).takeRecovered();

        assertThat(recovered.queues().get("orders")).extracting(StoredMessage::sequence)
            .containsExactlyElementsOf(sequences(0, 50).stream().filter(s -> s != 10).collect(Collectors.toList()));
    }

    @Test
    void shouldKeepDeletesAndMetadataAcrossReopen() throws Exception {
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults())) {
            for (long seq = 0; seq < 20; seq++) {
                store.putMessage("q", seq, payload("q", seq));
            }
            for (long seq = 0; seq < 20; seq += 2) {
                store.deleteMessage("q", seq);
            }
            store.putMetadata("queue.q.config", "ttl=1m".getBytes(UTF_8));
            store.putMetadata("gone", new byte[] {1});
            store.deleteMetadata("gone").get(5, SECONDS);
        }

        Recovered recovered = open(dir, StoreSettings.defaults()).takeRecovered();

        assertThat(recovered.queues().get("q")).extracting(StoredMessage::sequence)
            .containsExactly(1L, 3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L);
        assertThat(recovered.metadata()).containsOnlyKeys("queue.q.config");
        assertThat(recovered.metadata().get("queue.q.config")).isEqualTo("ttl=1m".getBytes(UTF_8));
    }

    @Test
    void shouldApplyAListOfWritesAtomically() throws Exception {
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults())) {
            store.putMessage("work", 1, payload("work", 1)).get(5, SECONDS);
            store.write(List.of(new StoreWrite.DeleteMessage("work", 1),
                new StoreWrite.PutMessage("work.dlq", 1, payload("work", 1)),
                new StoreWrite.UpdateState("work.dlq", 1, 5, MessageState.READY))).get(5, SECONDS);
        }

        Recovered recovered = open(dir, StoreSettings.defaults()).takeRecovered();

        assertThat(recovered.queues()).containsOnlyKeys("work.dlq");
        assertThat(recovered.queues().get("work.dlq").get(0).deliveryCount()).isEqualTo(5);
    }

    @Test
    void shouldIgnoreTheStateOfAMessageDeletedFirst() throws Exception {
        try (DurableStore store = DurableStore.open(dir, StoreSettings.defaults())) {
            store.putMessage("q", 1, payload("q", 1));
            store.deleteMessage("q", 1);
            store.updateState("q", 1, 2, MessageState.DELIVERED).get(5, SECONDS); // a late update racing an ack
        }

        assertThat(open(dir, StoreSettings.defaults()).takeRecovered().queues()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void shouldCompleteEveryWriteUnderEachSyncPolicy(SyncPolicy policy) throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        StoreSettings settings = StoreSettings.defaults().withSyncPolicy(policy)
            .withSyncInterval(Duration.ofMillis(5)).withMetrics(metrics);
        try (DurableStore store = DurableStore.open(dir, settings)) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long seq = 0; seq < 500; seq++) {
                writes.add(store.putMessage("p", seq, payload("p", seq)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, SECONDS);
            store.putMessage("p", 500, payload("p", 500)).get(5, SECONDS);  // a lone write after the burst
            assertThat(store.pendingWrites()).isZero();
        }

        assertThat(open(dir, settings).takeRecovered().messageCount()).isEqualTo(501);
        assertThat(metrics.writes.get()).isEqualTo(501);
        if (policy == SyncPolicy.NEVER) {
            assertThat(metrics.syncs.get()).isZero();
        } else {
            assertThat(metrics.syncs.get()).isPositive();
        }
    }

    @Test
    void shouldConfirmIntervalWritesOnlyAfterTheSyncThatCoversThem() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        StoreSettings settings = StoreSettings.defaults().withSyncPolicy(SyncPolicy.INTERVAL)
            .withSyncInterval(Duration.ofSeconds(2)).withMetrics(metrics);
        DurableStore store = open(dir, settings);
        store.putMessage("i", 0, new byte[8]).get(5, SECONDS);      // no sync for 2 s before: synced at once
        assertThat(metrics.syncs.get()).isEqualTo(1);

        long start = System.nanoTime();
        CompletableFuture<Void> second = store.putMessage("i", 1, new byte[8]);
        await("written, not yet synced").atMost(Duration.ofSeconds(1)).until(() -> metrics.writes.get() == 2);

        assertThat(second).isNotDone();
        second.get(5, SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1_000));
        assertThat(metrics.syncs.get()).isEqualTo(2);
    }

    @Test
    void shouldDrainPendingWritesOnCloseAndCloseIdempotently() throws Exception {
        DurableStore store = DurableStore.open(dir, StoreSettings.defaults());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (long seq = 0; seq < 5_000; seq++) {
            writes.add(store.putMessage("drain", seq, payload("drain", seq)));
        }

        long start = System.nanoTime();
        store.close();
        store.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(StoreSettings.defaults().closeTimeout());
        assertThat(writes).allSatisfy(w -> assertThat(w).isCompleted().isNotCompletedExceptionally());
        assertThat(StoreFiles.storeThreads()).isEmpty();
        CompletableFuture<Void> late = store.putMessage("drain", 5_000, new byte[1]);
        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(CourierException.class)
            .satisfies(e -> assertThat(((CourierException) e).reason()).isEqualTo(CourierException.Reason.CLOSED));
        assertThat(open(dir, StoreSettings.defaults()).takeRecovered().messageCount()).isEqualTo(5_000);
    }

    @Test
    void shouldReturnFromCloseWithinTheTimeoutWhenTheWriterIsStuck() throws Exception {
        StallingMetrics stall = new StallingMetrics();
        DurableStore store = DurableStore.open(dir, StoreSettings.defaults()
            .withCloseTimeout(Duration.ofMillis(300)).withMetrics(stall));
        CompletableFuture<Void> stuck = store.putMessage("q", 1, new byte[1]);
        stall.awaitStalled();

        long start = System.nanoTime();
        store.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        stall.release();
        stuck.get(5, SECONDS);                    // the writer finishes on its own once the disk answers
        await("store threads end").atMost(Duration.ofSeconds(10)).until(() -> StoreFiles.storeThreads().isEmpty());
        store.close();
    }

    @Test
    void shouldHandOverRecoveredStateOnce() {
        DurableStore store = open(dir, StoreSettings.defaults());
        store.takeRecovered();

        assertThatThrownBy(store::takeRecovered).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("already taken");
    }

    @Test
    void shouldRejectInvalidWritesOnTheCallersThread() {
        DurableStore store = open(dir, StoreSettings.defaults());

        assertThatThrownBy(() -> store.putMessage("", 1, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putMessage("q", -1, new byte[1])).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("sequence");
        assertThatThrownBy(() -> store.putMetadata("store.format", new byte[1]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.");
        assertThatThrownBy(() -> store.write(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Long> sequences(long from, long to) {
        List<Long> result = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
            result.add(seq);
        }
        return result;
    }
}
