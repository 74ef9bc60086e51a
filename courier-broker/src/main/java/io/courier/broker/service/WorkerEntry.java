package io.courier.broker.service;

import io.courier.broker.peer.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * A registered worker: its service, capacity and the jobs it holds now. Mutable, confined to the broker loop
 * thread.
 */
final class WorkerEntry {
    final PeerId id;
    final WorkerLink link;
    final Service service;
    final int capacity;
    final String name;
    final long registeredNanos;
    final Map<Long, Job> inFlight = new HashMap<>();
    boolean idle;
    long completed;

    WorkerEntry(PeerId id, WorkerLink link, Service service, int capacity, String name, long registeredNanos) {
        this.id = id;
        this.link = link;
        this.service = service;
        this.capacity = capacity;
        this.name = name;
        this.registeredNanos = registeredNanos;
    }

    boolean hasRoom() {
        return inFlight.size() < capacity;
    }
}
