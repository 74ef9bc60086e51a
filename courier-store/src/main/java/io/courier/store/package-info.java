/**
 * The embedded durable store on RocksDB, with a single writer thread: durable-queue messages, their delivery state
 * and metadata. {@link io.courier.store.DurableStore} is the entry point: {@code open} verifies and reads a store
 * back, writes are group-committed by the {@code courier-store} thread and confirmed through futures once durable
 * under the {@link io.courier.store.SyncPolicy}. Queue logic lives in the broker; this package only keeps bytes safe.
 */
package io.courier.store;
