package io.courier.store;

/**
 * When the store forces its write-ahead log to the disk, and so what a confirmed write survives.
 *
 * <p>Every policy writes each batch to the log with one {@code write(2)} before anything is confirmed, so a
 * <em>process</em> crash ({@code kill -9}, an OOM kill, a JVM crash) never loses a confirmed write under any of them:
 * the data is in the operating system's page cache. They differ on <em>power loss</em> or a kernel crash.
 */
public enum SyncPolicy {
    /**
     * The default. Each batch is fsynced before its futures complete: a confirmed write survives power loss.
     * Group commit makes one fsync carry every write queued while the previous one ran.
     */
    ALWAYS,
    /**
     * Batches are written as they come and the log is fsynced at most once per {@code syncInterval}; futures
     * complete only after the fsync that covers them, so a confirmed write still survives power loss. The price is
     * confirm latency (up to one interval); the gain is a cap on fsyncs per second on a shared or slow disk.
     */
    INTERVAL,
    /**
     * No fsync until {@link DurableStore#close()}: futures complete once the batch is in the page cache. Survives a
     * process crash. Power loss or a kernel crash can lose every write confirmed since the operating system last
     * wrote the log back (typically up to 30 s of them), and if it wrote pages back out of order the log can be left
     * damaged in its middle: the store then refuses to open rather than serve what it can read, and an operator must
     * restore or move the directory aside. For data that may be lost, such as caches or test runs.
     */
    NEVER
}
