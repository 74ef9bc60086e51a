package io.courier.broker.service;

import java.util.List;

/** What the request router holds at one instant, for the status document. Immutable. */
public record RouterStatus(List<ServiceView> services, List<WorkerView> workers) {

    /** One service: its workers, their total capacity and busy slots, and its waiting requests. */
    public record ServiceView(String name, int workers, int capacity, int busy, int queued, long requests) {
    }

    /** One worker: whom it serves, in which protocol, and how loaded it is. */
    public record WorkerView(String service, String protocol, String name, int capacity, int busy, long completed) {
    }
}
