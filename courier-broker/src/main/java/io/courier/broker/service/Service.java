package io.courier.broker.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One named service: its workers, the workers with room for another job in least-recently-used order, and the
 * requests waiting for one. Mutable, confined to the broker loop thread.
 *
 * <p>Jobs that expire while queued stay in {@link #queue} marked done until dispatch skips them or
 * {@link #compact()} drops them, so an expiry costs O(1) instead of a search.
 */
final class Service {
    private static final int COMPACT_SLACK = 1_024;

    final String name;
    final List<WorkerEntry> workers = new ArrayList<>();
    final Deque<WorkerEntry> idle = new ArrayDeque<>();
    final Deque<Job> queue = new ArrayDeque<>();
    int queued;
    long requests;

    Service(String name) {
        this.name = name;
    }

    boolean isEmpty() {
        return workers.isEmpty() && queued == 0;
    }

    int capacity() {
        int total = 0;
        for (WorkerEntry w : workers) {
            total += w.capacity;
        }
        return total;
    }

    int busy() {
        int total = 0;
        for (WorkerEntry w : workers) {
            total += w.inFlight.size();
        }
        return total;
    }

    /** Marks {@code worker} as having room, at the back of the line (it was used most recently). */
    void offerIdle(WorkerEntry worker) {
        if (!worker.idle && worker.hasRoom()) {
            worker.idle = true;
            idle.addLast(worker);
        }
    }

    /** The live queued job that has waited longest, or null. Skips (and drops) jobs already done. */
    Job pollQueued() {
        for (Job job; (job = queue.pollFirst()) != null; ) {
            if (job.state == Job.State.QUEUED) {
                queued--;
                return job;
            }
        }
        return null;
    }

    /** Drops done jobs from the queue once they outnumber the live ones by a margin. */
    void compact() {
        if (queue.size() > 2 * queued + COMPACT_SLACK) {
            queue.removeIf(job -> job.state != Job.State.QUEUED);
        }
    }
}
