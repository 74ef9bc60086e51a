package io.courier.broker.service;

import io.courier.broker.metrics.BrokerCounters;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.metrics.BrokerMetrics.Outcome;
import io.courier.broker.peer.PeerId;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Service routing, the Majordomo pattern with Courier's additions: services and their workers, requests queued
 * per service (bounded), least-recently-used dispatch honouring each worker's capacity, deadlines, the wait for
 * an unknown service, and recovery of a dead worker's jobs. Thread-free: confined to the broker loop thread and
 * driven directly by unit tests with a manual clock. Protocols stay outside: requests arrive with a
 * {@link ReplyRoute} and workers with a {@link WorkerLink}.
 */
public final class RequestRouter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
    private static final int TIMER_COMPACT_SLACK = 1_024;

    private RouterSettings settings;
    private final BrokerMetrics metrics;
    private final BrokerCounters counters;
    private final LongSupplier nanoClock;
    private final Map<String, Service> services = new HashMap<>();
    private final Map<PeerId, WorkerEntry> workers = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long nextJobId = 1;
    private boolean closed;
    private boolean draining;
    private long queueFull;

    /** A due time for a queued job: its deadline, or the end of its wait for an unknown service. */
    private record Timer(long atMillis, Job job, boolean unknownServiceCheck) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.compare(atMillis, other.atMillis);
        }
    }

    public RequestRouter(RouterSettings settings, BrokerMetrics metrics, BrokerCounters counters,
                         LongSupplier nanoClock) {
        this.settings = settings;
        this.metrics = metrics;
        this.counters = counters;
        this.nanoClock = nanoClock;
    }

    /**
     * A request from a client. {@code timeoutMillis} 0 means the default deadline. The answer goes to
     * {@code route}, now (MMI, errors) or later.
     */
    public void onRequest(String serviceName, int timeoutMillis, Headers headers, byte[][] body, ReplyRoute route) {
        long nowNanos = nanoClock.getAsLong();
        counters.requestReceived();
        if (serviceName.startsWith(Wire.MMI_PREFIX)) {
            route.reply(Headers.EMPTY, new byte[][] {mmi(serviceName, body)});
            return;
        }
        metrics.onRequest(serviceName);
        if (closed || draining) {
            route.error(ErrorCode.UNAVAILABLE, "broker is shutting down");
            metrics.onRequestDone(serviceName, Outcome.UNAVAILABLE, 0);
            return;
        }
        Service service = services.get(serviceName);
        if (service == null) {
            if (settings.unknownServiceWait().isZero()) {
                answerUnknown(serviceName, route, 0);
                return;
            }
            service = new Service(serviceName);
            services.put(serviceName, service);
            counters.serviceAdded();
        }
        if (service.queued >= settings.maxQueuedPerService() && service.idle.isEmpty()) {
            queueFull++;
            if (Long.bitCount(queueFull) == 1) {
                LOG.warn("request refused, service queue full service={} queued={} refusedTotal={}", serviceName,
                        service.queued, queueFull);
            }
            route.error(ErrorCode.QUEUE_FULL, "service '" + serviceName + "' has "
                    + service.queued + " requests waiting, the most allowed");
            metrics.onRequestDone(serviceName, Outcome.QUEUE_FULL, 0);
            return;
        }
        long timeout = timeoutMillis > 0 ? timeoutMillis : settings.defaultTimeout().toMillis();
        long nowMillis = nowNanos / 1_000_000;
        Job job = new Job(nextJobId++, service, route, headers, body, nowNanos, nowMillis + timeout);
        service.requests++;
        log(Level.TRACE, job, "request received service={} protocol={} timeoutMs={}", serviceName,
                route.protocol(), timeout);
        if (!service.idle.isEmpty()) {
            dispatchOne(service, job, nowMillis);
            dispatch(service, nowMillis);
            return;
        }
        enqueue(job, false);
        if (service.workers.isEmpty()) {
            long check = nowMillis + settings.unknownServiceWait().toMillis();
            if (check < job.deadlineMillis) {
                addTimer(new Timer(check, job, true));
            }
        }
    }

    /**
     * A worker registers. False when this peer is already a worker (a protocol error the caller answers with a
     * disconnect) or the name is reserved.
     */
    public boolean onReady(PeerId id, WorkerLink link, String serviceName, int capacity, String name) {
        if (closed || workers.containsKey(id) || serviceName.startsWith(Wire.MMI_PREFIX)) {
            return false;
        }
        Service service = services.get(serviceName);
        if (service == null) {
            service = new Service(serviceName);
            services.put(serviceName, service);
            counters.serviceAdded();
        }
        WorkerEntry worker = new WorkerEntry(id, link, service, capacity, name, nanoClock.getAsLong());
        workers.put(id, worker);
        service.workers.add(worker);
        service.offerIdle(worker);
        counters.workerAdded();
        metrics.onWorkers(serviceName, service.workers.size());
        LOG.debug("worker registered service={} protocol={} capacity={} name={} peer={}", serviceName,
                link.protocol(), capacity, name, id);
        dispatch(service, nanoClock.getAsLong() / 1_000_000);
        return true;
    }

    public boolean isWorker(PeerId id) {
        return workers.containsKey(id);
    }

    /** A worker's final reply. False when the peer is not a registered worker (the caller disconnects it). */
    public boolean onDone(PeerId id, long jobId, Headers headers, byte[][] body) {
        WorkerEntry worker = workers.get(id);
        if (worker == null) {
            return false;
        }
        Job job = finish(worker, jobId);
        if (job != null) {
            log(Level.TRACE, job, "reply from worker service={} worker={}", job.service.name, worker.name);
            job.route.reply(headers, body);
            metrics.onRequestDone(job.service.name, Outcome.OK, nanoClock.getAsLong() - job.arrivedNanos);
            dispatch(worker.service, nanoClock.getAsLong() / 1_000_000);
        }
        return true;
    }

    /** An MDP/0.2 partial reply: passed on, the job stays with the worker. False for an unknown worker. */
    public boolean onPartial(PeerId id, long jobId, byte[][] body) {
        WorkerEntry worker = workers.get(id);
        if (worker == null) {
            return false;
        }
        Job job = worker.inFlight.get(jobId);
        if (job != null) {
            job.route.partial(body);
        }
        return true;
    }

    /** A worker's handler failed the job. False for an unknown worker. */
    public boolean onFail(PeerId id, long jobId, ErrorCode code, String reason) {
        WorkerEntry worker = workers.get(id);
        if (worker == null) {
            return false;
        }
        Job job = finish(worker, jobId);
        if (job != null) {
            log(Level.DEBUG, job, "request failed in worker service={} worker={} code={}", job.service.name,
                    worker.name, code.code());
            job.route.error(code, reason);
            metrics.onRequestDone(job.service.name, Outcome.SERVICE_ERROR, nanoClock.getAsLong() - job.arrivedNanos);
            dispatch(worker.service, nanoClock.getAsLong() / 1_000_000);
        }
        return true;
    }

    /**
     * A worker is gone (silent past its liveness, said DISCONNECT, unroutable, or disconnected for breaking the
     * protocol): its jobs go back to the front of the queue for another worker (at-least-once).
     */
    public void onWorkerGone(PeerId id, String cause) {
        WorkerEntry worker = workers.get(id);
        if (worker == null) {
            return;
        }
        int requeued = removeWorker(worker);
        LOG.info("worker removed service={} protocol={} name={} cause={} requeued={}", worker.service.name,
                worker.link.protocol(), worker.name, cause, requeued);
        dispatch(worker.service, nanoClock.getAsLong() / 1_000_000);
        dropIfEmpty(worker.service);
    }

    /** Runs the due timers; returns when they next need to run (monotonic millis), or Long.MAX_VALUE. */
    public long onTimers(long nowMillis) {
        Timer timer;
        while ((timer = timers.peek()) != null && timer.atMillis <= nowMillis) {
            timers.poll();
            Job job = timer.job;
            if (job.state != Job.State.QUEUED) {
                continue;
            }
            if (timer.unknownServiceCheck) {
                // a job that a worker already took knows its service exists: it waits for another until its deadline
                if (job.deliveries == 0 && job.service.workers.isEmpty()) {
                    dequeue(job);
                    log(Level.DEBUG, job, "request for unknown service refused service={}", job.service.name);
                    answerUnknown(job.service.name, job.route, nanoClock.getAsLong() - job.arrivedNanos);
                    dropIfEmpty(job.service);
                }
            } else {
                dequeue(job);
                log(Level.DEBUG, job, "request expired in queue service={} waitedMs={}", job.service.name,
                        (nanoClock.getAsLong() - job.arrivedNanos) / 1_000_000);
                job.route.error(ErrorCode.EXPIRED, "no worker of '" + job.service.name
                        + "' took the request before its deadline");
                metrics.onRequestDone(job.service.name, Outcome.EXPIRED, nanoClock.getAsLong() - job.arrivedNanos);
                dropIfEmpty(job.service);
            }
        }
        if (timers.size() > 2 * counters.queuedRequests() + TIMER_COMPACT_SLACK) {
            timers.removeIf(t -> t.job.state != Job.State.QUEUED);
        }
        Timer next = timers.peek();
        return next == null ? Long.MAX_VALUE : next.atMillis;
    }

    /** New settings, live: they apply to requests that arrive from now on. */
    public void onSettings(RouterSettings value) {
        settings = value;
    }

    /**
     * Starts a graceful stop: new requests are answered UNAVAILABLE, while the queued and in-flight ones go on to
     * their workers and replies. {@link #isIdle()} tells when the last one has ended.
     */
    public void startDrain() {
        draining = true;
    }

    /** True when no request waits for a worker or for a reply. */
    public boolean isIdle() {
        return counters.queuedRequests() == 0 && counters.inFlightRequests() == 0;
    }

    /**
     * Stops routing: queued and in-flight requests are answered UNAVAILABLE and every worker is told to
     * disconnect. Later requests are answered UNAVAILABLE.
     */
    public void close() {
        closed = true;
        for (Service service : services.values()) {
            for (Job job; (job = service.pollQueued()) != null; ) {
                unavailable(job);
            }
        }
        for (WorkerEntry worker : workers.values()) {
            for (Job job : worker.inFlight.values()) {
                unavailable(job);
            }
            worker.inFlight.clear();
            worker.link.sendDisconnect("broker shutting down");
        }
        workers.clear();
        services.clear();
        timers.clear();
        counters.routingClosed();
    }

    /** Services and workers now, for the status document. */
    public RouterStatus status() {
        List<RouterStatus.ServiceView> serviceViews = new ArrayList<>();
        List<RouterStatus.WorkerView> workerViews = new ArrayList<>();
        for (Service s : services.values()) {
            serviceViews.add(new RouterStatus.ServiceView(s.name, s.workers.size(), s.capacity(), s.busy(), s.queued,
                    s.requests));
            for (WorkerEntry w : s.workers) {
                workerViews.add(new RouterStatus.WorkerView(s.name, w.link.protocol(), w.name, w.capacity,
                        w.inFlight.size(), w.completed));
            }
        }
        serviceViews.sort((a, b) -> a.name().compareTo(b.name()));
        return new RouterStatus(List.copyOf(serviceViews), List.copyOf(workerViews));
    }

    private void dispatch(Service service, long nowMillis) {
        while (!service.idle.isEmpty()) {
            Job job = service.pollQueued();
            if (job == null) {
                break;
            }
            counters.requestDequeued();
            dispatchOne(service, job, nowMillis);   // its timers go stale: the job is no longer QUEUED once sent
        }
        service.compact();
        metrics.onQueued(service.name, service.queued);
    }

    /** Sends {@code job} to the least recently used worker with room; requeues it if the send fails. */
    private void dispatchOne(Service service, Job job, long nowMillis) {
        while (true) {
            WorkerEntry worker = service.idle.pollFirst();
            if (worker == null) {
                enqueue(job, true);
                return;
            }
            worker.idle = false;
            long left = job.deadlineMillis - nowMillis;
            if (left <= 0) {
                service.offerIdle(worker);
                job.state = Job.State.DONE;
                log(Level.DEBUG, job, "request expired before dispatch service={}", service.name);
                job.route.error(ErrorCode.EXPIRED, "no worker of '" + service.name
                        + "' took the request before its deadline");
                metrics.onRequestDone(service.name, Outcome.EXPIRED, nanoClock.getAsLong() - job.arrivedNanos);
                return;
            }
            job.state = Job.State.IN_FLIGHT;
            job.worker = worker;
            job.deliveries++;
            worker.inFlight.put(job.id, job);
            counters.requestSent();
            if (worker.link.sendJob(job.id, (int) Math.min(Integer.MAX_VALUE, left), job.headers, job.body)) {
                service.offerIdle(worker);
                log(Level.TRACE, job, "request sent to worker service={} worker={} delivery={}", service.name,
                        worker.name, job.deliveries);
                return;
            }
            LOG.debug("job send failed, worker dropped service={} name={}", service.name, worker.name);
            removeWorker(worker);   // puts the job back at the front of the queue
            job = service.pollQueued();
            if (job == null) {
                return;
            }
            counters.requestDequeued();
        }
    }

    /** Removes a finished job from its worker, freeing the slot; null for a job the worker no longer holds. */
    private Job finish(WorkerEntry worker, long jobId) {
        Job job = worker.inFlight.remove(jobId);
        if (job == null) {
            LOG.debug("reply for a job the worker does not hold ignored service={} jobId={}", worker.service.name,
                    jobId);
            return null;
        }
        job.state = Job.State.DONE;
        worker.completed++;
        counters.requestReturned();
        worker.service.offerIdle(worker);
        return job;
    }

    /** Unregisters a worker and puts its jobs back at the front of the queue; returns how many. */
    private int removeWorker(WorkerEntry worker) {
        workers.remove(worker.id);
        Service service = worker.service;
        service.workers.remove(worker);
        if (worker.idle) {
            service.idle.remove(worker);
            worker.idle = false;
        }
        counters.workerRemoved();
        metrics.onWorkers(service.name, service.workers.size());
        List<Job> jobs = new ArrayList<>(worker.inFlight.values());
        worker.inFlight.clear();
        jobs.sort((a, b) -> Long.compare(b.id, a.id));   // newest first, so the oldest ends up in front
        for (Job job : jobs) {
            counters.requestReturned();
            log(Level.DEBUG, job, "request requeued after worker loss service={} worker={} deliveries={}",
                    service.name, worker.name, job.deliveries);
            job.worker = null;
            enqueue(job, true);
        }
        return jobs.size();
    }

    private void enqueue(Job job, boolean atFront) {
        Service service = job.service;
        job.state = Job.State.QUEUED;
        if (atFront) {
            service.queue.addFirst(job);
        } else {
            service.queue.addLast(job);
        }
        service.queued++;
        counters.requestQueued();
        metrics.onQueued(service.name, service.queued);
        addTimer(new Timer(job.deadlineMillis, job, false));
    }

    /** Takes a queued job out of line (its entry in the deque is dropped lazily). */
    private void dequeue(Job job) {
        job.state = Job.State.DONE;
        job.service.queued--;
        counters.requestDequeued();
        metrics.onQueued(job.service.name, job.service.queued);
        job.service.compact();
    }

    private void addTimer(Timer timer) {
        timers.add(timer);
    }

    private void dropIfEmpty(Service service) {
        if (service.isEmpty() && services.get(service.name) == service) {
            services.remove(service.name);
            counters.serviceRemoved();
        }
    }

    private void answerUnknown(String serviceName, ReplyRoute route, long nanos) {
        route.error(ErrorCode.UNKNOWN_SERVICE, "no worker serves '" + serviceName + "'");
        metrics.onRequestDone(serviceName, Outcome.UNKNOWN_SERVICE, nanos);
    }

    private void unavailable(Job job) {
        job.state = Job.State.DONE;
        log(Level.DEBUG, job, "request answered unavailable, broker stopping service={}", job.service.name);
        job.route.error(ErrorCode.UNAVAILABLE, "broker is shutting down");
        metrics.onRequestDone(job.service.name, Outcome.UNAVAILABLE, nanoClock.getAsLong() - job.arrivedNanos);
    }

    /** Logs a line about one request, carrying its trace id as the {@code traceId} key-value pair. */
    private static void log(Level level, Job job, String message, Object... args) {
        if (LOG.isEnabledForLevel(level)) {
            LOG.atLevel(level).addKeyValue("traceId", job.traceId()).log(message, args);
        }
    }

    /** The Majordomo Management Interface (RFC 8): {@code mmi.service} answers 200 or 404, others 501. */
    private byte[] mmi(String serviceName, byte[][] body) {
        String code;
        if (Wire.MMI_SERVICE.equals(serviceName)) {
            String asked = body.length == 0 ? "" : new String(body[body.length - 1], StandardCharsets.UTF_8);
            Service service = services.get(asked);
            code = service != null && !service.workers.isEmpty() ? "200" : "404";
        } else {
            code = "501";
        }
        return code.getBytes(StandardCharsets.US_ASCII);
    }
}
