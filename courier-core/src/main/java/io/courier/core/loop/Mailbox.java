package io.courier.core.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Commands for a socket-owning actor: a bounded queue plus an NIO pipe "doorbell" that the actor's
 * {@code ZMQ.Poller} watches (CONTRIBUTING.md, "The threading rule"). Many producers, one consumer (the owner
 * thread).
 *
 * <p>The pipe does no socket I/O; it only wakes the poller. Wake-ups are coalesced to one byte per drain.
 */
public final class Mailbox<C> implements AutoCloseable {
    private final Queue<C> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final Pipe pipe;
    private final AtomicBoolean rung = new AtomicBoolean();
    private final ByteBuffer scratch = ByteBuffer.allocate(64);   // owner thread only
    private final ByteBuffer bell = ByteBuffer.allocate(1);       // guarded by the rung flag
    private volatile boolean closed;

    public Mailbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("mailbox capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        try {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open mailbox pipe", e);
        }
    }

    /** Any thread. False when full or closed: the caller reports back-pressure (or CLOSED). Never blocks. */
    public boolean offer(C command) {
        if (!offerQuietly(command)) {
            return false;
        }
        ring();
        return true;
    }

    /**
     * Any thread: {@link #offer} without waking the owner, for a producer that queues a burst and then calls
     * {@link #ring} once. The owner also takes the command on any pass it makes for another reason.
     */
    public boolean offerQuietly(C command) {
        if (closed) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.add(command);
        return true;
    }

    /** Any thread. Wakes the owner without a command (for example to re-check its timers). */
    public void ring() {
        if (rung.compareAndSet(false, true)) {
            synchronized (bell) {
                try {
                    pipe.sink().write(bell.clear().put((byte) 1).flip());
                } catch (IOException e) {
                    // closed under us: the owner is gone, and the caller learns it from offer() next time
                }
            }
        }
    }

    /** The channel to register with the owner's poller for POLLIN. */
    public SelectableChannel doorbell() {
        return pipe.source();
    }

    /** Owner thread only. Clears the doorbell before draining so no wake-up is lost; runs at most {@code limit}. */
    public int drain(Consumer<? super C> handler, int limit) {
        try {
            while (pipe.source().read(scratch.clear()) > 0) {
                // discard the wake-up bytes
            }
        } catch (IOException e) {
            return 0;
        }
        rung.set(false);
        int n = 0;
        for (C c; n < limit && (c = queue.poll()) != null; n++) {
            size.decrementAndGet();
            handler.accept(c);
        }
        if (!queue.isEmpty()) {
            ring();
        }
        return n;
    }

    /** Owner thread only: the commands still queued, for failing them on shutdown. */
    public void drainAll(Consumer<? super C> handler) {
        for (C c; (c = queue.poll()) != null; ) {
            size.decrementAndGet();
            handler.accept(c);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Refuses further commands. Call from the owner as it stops, then {@link #drainAll}, then {@link #close}. */
    public void shut() {
        closed = true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            pipe.sink().close();
            pipe.source().close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
