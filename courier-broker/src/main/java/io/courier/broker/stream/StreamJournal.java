package io.courier.broker.stream;

/**
 * Where the streams core keeps the retained logs of durable streams: the wiring implements it over the store,
 * whose writer thread applies the intents in call order. The core never waits for them; it reads them back only
 * through {@link StreamCore#restore} at start. Called on the broker loop thread only; must not throw and must not
 * call back into the core.
 */
public interface StreamJournal {
    /** A journal that keeps nothing: every stream lives in memory only. */
    StreamJournal NONE = new StreamJournal() {
        @Override
        public void append(StreamMessage message) {
        }

        @Override
        public void evict(String topic, long fromSeq, long toSeq) {
        }
    };

    /** A durable stream retained {@code message}: keep it. */
    void append(StreamMessage message);

    /** A durable stream's log evicted seqs {@code fromSeq} to {@code toSeq} (inclusive): forget them. */
    void evict(String topic, long fromSeq, long toSeq);
}
