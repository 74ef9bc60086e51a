package io.courier.client.internal;

import io.courier.client.StreamEvent;
import io.courier.client.StreamLoss;
import io.courier.core.CourierException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A {@link StreamSink} that records what the core released, with room the test turns on and off. */
final class RecordingSink implements StreamSink {
    final List<Object> released = new ArrayList<>();
    int subscribedCount;
    String endedReason;
    CourierException endedError;
    boolean room = true;
    boolean closed;

    @Override
    public void onSubscribed() {
        subscribedCount++;
    }

    @Override
    public void onEvent(StreamEvent event) {
        released.add(event);
    }

    @Override
    public void onLoss(StreamLoss loss) {
        released.add(loss);
    }

    @Override
    public void onEnded(String reason, CourierException error) {
        endedReason = reason;
        endedError = error;
    }

    @Override
    public boolean hasRoom() {
        return room;
    }

    @Override
    public boolean canResume() {
        return room;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** What was released, in order, as short text: {@code t#3} for an event, {@code t!4-5} for a loss. */
    List<String> summary() {
        return released.stream().map(RecordingSink::text).collect(Collectors.toList());
    }

    List<StreamLoss> losses() {
        return released.stream().filter(StreamLoss.class::isInstance).map(StreamLoss.class::cast)
                .collect(Collectors.toList());
    }

    private static String text(Object item) {
        if (item instanceof StreamEvent e) {
            return e.topic() + "#" + e.seq();
        }
        StreamLoss l = (StreamLoss) item;
        return l.topic() + "!" + l.fromSeq() + "-" + (l.toSeq() == Long.MAX_VALUE ? "max" : l.toSeq());
    }
}
