package io.courier.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OffLoopFutureTest {
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, "callback-test"));

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }

    /** Attaches every non-async composition method; each dependent reports the thread it ran on. */
    private static Map<String, CompletableFuture<String>> attachAll(OffLoopFuture<String> future) {
        CompletableFuture<String> other = CompletableFuture.completedFuture("other");
        Map<String, CompletableFuture<String>> ran = new LinkedHashMap<>();
        ran.put("thenApply", future.thenApply(v -> thread()));
        ran.put("thenCombine", future.thenCombine(other, (a, b) -> thread()));
        ran.put("applyToEither", future.applyToEither(new CompletableFuture<>(), v -> thread()));
        ran.put("thenCompose", future.thenCompose(v -> CompletableFuture.completedFuture(thread())));
        ran.put("handle", future.handle((v, e) -> thread()));
        CompletableFuture<String> accept = new CompletableFuture<>();
        future.thenAccept(v -> accept.complete(thread()));
        ran.put("thenAccept", accept);
        CompletableFuture<String> run = new CompletableFuture<>();
        future.thenRun(() -> run.complete(thread()));
        ran.put("thenRun", run);
        CompletableFuture<String> acceptBoth = new CompletableFuture<>();
        future.thenAcceptBoth(other, (a, b) -> acceptBoth.complete(thread()));
        ran.put("thenAcceptBoth", acceptBoth);
        CompletableFuture<String> runAfterBoth = new CompletableFuture<>();
        future.runAfterBoth(other, () -> runAfterBoth.complete(thread()));
        ran.put("runAfterBoth", runAfterBoth);
        CompletableFuture<String> acceptEither = new CompletableFuture<>();
        future.acceptEither(new CompletableFuture<>(), v -> acceptEither.complete(thread()));
        ran.put("acceptEither", acceptEither);
        CompletableFuture<String> runAfterEither = new CompletableFuture<>();
        future.runAfterEither(new CompletableFuture<>(), () -> runAfterEither.complete(thread()));
        ran.put("runAfterEither", runAfterEither);
        CompletableFuture<String> whenComplete = new CompletableFuture<>();
        future.whenComplete((v, e) -> whenComplete.complete(thread()));
        ran.put("whenComplete", whenComplete);
        return ran;
    }

    private static void assertAllRanOn(Map<String, CompletableFuture<String>> ran, String expected) throws Exception {
        for (Map.Entry<String, CompletableFuture<String>> e : ran.entrySet()) {
            assertThat(e.getValue().get(5, TimeUnit.SECONDS)).as(e.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void shouldRunEveryNonAsyncDependentOnTheCallbackExecutor() throws Exception {
        OffLoopFuture<String> future = new OffLoopFuture<>(callbacks);
        Map<String, CompletableFuture<String>> ran = attachAll(future);

        future.complete("value");   // the test thread plays the I/O thread

        assertAllRanOn(ran, "callback-test");
    }

    @Test
    void shouldRunDependentsAttachedAfterCompletionOnTheCallbackExecutor() throws Exception {
        OffLoopFuture<String> future = new OffLoopFuture<>(callbacks);
        future.complete("value");

        assertAllRanOn(attachAll(future), "callback-test");
    }

    @Test
    void shouldRunRecoveryFunctionsOnTheCallbackExecutor() throws Exception {
        OffLoopFuture<String> future = OffLoopFuture.failed(callbacks, new IllegalStateException("failed"));

        String recovered = future.exceptionally(e -> thread()).get(5, TimeUnit.SECONDS);
        String composed = future.exceptionallyCompose(e -> CompletableFuture.completedFuture(thread()))
                .get(5, TimeUnit.SECONDS);

        assertThat(recovered).isEqualTo("callback-test");
        assertThat(composed).isEqualTo("callback-test");
    }

    @Test
    void shouldKeepDerivedStagesOffTheCompletingThread() throws Exception {
        OffLoopFuture<String> future = new OffLoopFuture<>(callbacks);
        CompletableFuture<String> derived = future.thenApply(v -> v + "!");
        CompletableFuture<String> second = derived.thenApply(v -> thread());

        future.complete("value");

        assertThat(derived).isInstanceOf(OffLoopFuture.class);
        assertThat(derived.defaultExecutor()).isSameAs(callbacks);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("callback-test");
        assertThat(future.minimalCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("value");
    }

    @Test
    void shouldWakeAThreadBlockedInGet() throws Exception {
        OffLoopFuture<String> future = new OffLoopFuture<>(callbacks);
        CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() -> future.join());

        future.complete("value");

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("value");
    }
}
