/**
 * The embedded durable store (durable queues and retained streams) on RocksDB, with a single writer thread.
 * Empty until the durable-queues work lands; the module exists so the layout shows the architecture.
 */
package io.courier.store;
