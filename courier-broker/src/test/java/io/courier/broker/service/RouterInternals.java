package io.courier.broker.service;

import io.courier.broker.peer.PeerId;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;

/**
 * Reads private state of a {@link RequestRouter} by reflection, for what its API does not show: how many timers
 * and queue entries it keeps (memory that must stay bounded) and how often a job was delivered. The field names
 * are those of RequestRouter ({@code timers}, {@code services}, {@code workers}); a rename there breaks these
 * reads loudly rather than silently.
 */
final class RouterInternals {
    private static final Field TIMERS = field("timers");
    private static final Field SERVICES = field("services");
    private static final Field WORKERS = field("workers");

    private RouterInternals() {
    }

    /** Entries in the router's timer heap, live or stale. */
    static int timers(RequestRouter router) {
        return ((Collection<?>) read(TIMERS, router)).size();
    }

    /** Entries in the service's queue, live or already answered; 0 when the router holds no such service. */
    static int queueEntries(RequestRouter router, String service) {
        Service s = (Service) ((Map<?, ?>) read(SERVICES, router)).get(service);
        return s == null ? 0 : s.queue.size();
    }

    /** How many times the job now in flight on {@code worker} has been sent to a worker. */
    static int deliveries(RequestRouter router, PeerId worker, long jobId) {
        WorkerEntry entry = (WorkerEntry) ((Map<?, ?>) read(WORKERS, router)).get(worker);
        if (entry == null) {
            throw new AssertionError("no worker " + worker);
        }
        Job job = entry.inFlight.get(jobId);
        if (job == null) {
            throw new AssertionError("worker " + worker + " does not hold job " + jobId);
        }
        return job.deliveries;
    }

    private static Field field(String name) {
        try {
            Field field = RequestRouter.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("RequestRouter." + name + " is not readable", e);
        }
    }

    private static Object read(Field field, RequestRouter router) {
        try {
            return field.get(router);
        } catch (IllegalAccessException e) {
            throw new AssertionError("RequestRouter." + field.getName() + " is not readable", e);
        }
    }
}
