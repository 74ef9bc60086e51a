package io.courier.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StreamListener} that records every call: events as {@code topic#seq}, losses as {@code topic!from-to},
 * the end as {@code closed:reason}; also the threads it ran on and whether two calls ever overlapped.
 */
final class RecordingListener implements StreamListener {
    private static final Duration WAIT = Duration.ofSeconds(5);

    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
    final BlockingQueue<StreamEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<StreamLoss> losses = new LinkedBlockingQueue<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    @Override
    public void onEvent(StreamEvent event) {
        record(event.topic() + "#" + event.seq());
        events.add(event);
    }

    @Override
    public void onLoss(StreamLoss loss) {
        record(loss.topic() + "!" + loss.fromSeq() + "-" + (loss.toSeq() == Long.MAX_VALUE ? "max" : loss.toSeq()));
        losses.add(loss);
    }

    @Override
    public void onClosed(String reason) {
        record("closed:" + reason);
    }

    private void record(String call) {
        if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        threads.add(Thread.currentThread().getName());
        calls.add(call);
        running.decrementAndGet();
    }

    int overlaps() {
        return overlaps.get();
    }

    /** The next {@code count} calls, waiting up to 5 seconds for each; fails the test if one does not come. */
    List<String> take(int count) {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                String call = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (call == null) {
                    throw new AssertionError("listener call " + (i + 1) + " of " + count + " did not come; got "
                            + taken);
                }
                taken.add(call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return taken;
    }
}
