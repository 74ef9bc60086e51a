package io.courier.client.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A future that a connection's I/O thread completes, but whose dependent stages never run on that thread: every
 * non-async composition method runs its function on the callback executor, as its {@code *Async} twin does, and
 * so does every stage derived from it. A thread blocked in {@code get()} or {@code join()} is simply woken.
 *
 * <p>Thread-safe, like any {@link CompletableFuture}. Limit: a combinator that starts from another future
 * ({@code CompletableFuture.allOf}, {@code plain.thenCombine(this, fn)}) is that future's business; it may run
 * its function on whichever thread completes its last input.
 */
final class OffLoopFuture<T> extends CompletableFuture<T> {
    private final Executor callbacks;

    OffLoopFuture(Executor callbacks) {
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    }

    /** An already failed future, for errors found before a command reaches the loop. */
    static <T> OffLoopFuture<T> failed(Executor callbacks, Throwable error) {
        OffLoopFuture<T> future = new OffLoopFuture<>(callbacks);
        future.completeExceptionally(error);
        return future;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new OffLoopFuture<>(callbacks);
    }

    @Override
    public Executor defaultExecutor() {
        return callbacks;
    }

    /** A dependent copy rather than the JDK's minimal stage, whose non-async methods would run inline. */
    @Override
    public CompletionStage<T> minimalCompletionStage() {
        return thenApplyAsync(Function.identity(), callbacks);
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        return thenApplyAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        return thenAcceptAsync(action, callbacks);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return thenRunAsync(action, callbacks);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
                                                   BiFunction<? super T, ? super U, ? extends V> fn) {
        return thenCombineAsync(other, fn, callbacks);
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
                                                      BiConsumer<? super T, ? super U> action) {
        return thenAcceptBothAsync(other, action, callbacks);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return runAfterBothAsync(other, action, callbacks);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return applyToEitherAsync(other, fn, callbacks);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return acceptEitherAsync(other, action, callbacks);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return runAfterEitherAsync(other, action, callbacks);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return thenComposeAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return whenCompleteAsync(action, callbacks);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return handleAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return exceptionallyAsync(fn, callbacks);
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return exceptionallyComposeAsync(fn, callbacks);
    }
}
