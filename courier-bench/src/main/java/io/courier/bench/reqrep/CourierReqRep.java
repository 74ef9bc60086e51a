package io.courier.bench.reqrep;

import io.courier.bench.InProcessBroker;
import io.courier.bench.Json;
import io.courier.bench.Quietly;
import io.courier.bench.RunResult;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The run through the broker: a Courier {@link Client} sends requests for the service {@value #SERVICE} to an echo
 * {@link Worker} (capacity = requests in flight), both over loopback TCP to a broker that is started in-process on
 * ephemeral ports, or the one given. Each request is sent from the completion of the one before it (on Courier's
 * callback threads, or with {@code inline} on the client's I/O thread), so exactly {@code inflight} are out at
 * any time.
 */
public final class CourierReqRep {
    public static final String MODE = "courier";
    /** The mode with handlers and callbacks on the connections' I/O threads ({@code --inline}). */
    public static final String MODE_INLINE = "courier-inline";
    public static final String SERVICE = "bench";

    private CourierReqRep() {
    }

    /**
     * Runs warm-up then measurement; blocks until done.
     *
     * @param brokerEndpoint the frontend of a running broker, or null to start one in-process for the run
     * @param inline         run the worker's handler and the client's callbacks on their connections' I/O threads
     *                       ({@code callbackExecutor(Runnable::run)}) instead of Courier's pools
     * @throws CourierException when a request fails or no reply comes within the timeout
     */
    public static RunResult run(ReqRepSettings settings, String brokerEndpoint, boolean inline) {
        InProcessBroker inProcess = null;
        Worker worker = null;
        Client client = null;
        IdleClients idle = null;
        try {
            String endpoint = brokerEndpoint;
            if (endpoint == null) {
                inProcess = InProcessBroker.start();
                endpoint = inProcess.broker().frontendEndpoint();
            }
            Executor callbacks = inline ? Runnable::run : null;
            worker = Worker.start(ClientConfig.of(endpoint).withName("bench-worker").withCallbackExecutor(callbacks),
                    WorkerOptions.of(SERVICE).withCapacity(settings.inflight()), request -> request);
            client = Client.connect(ClientConfig.of(endpoint).withName("bench-client")
                    .withCallbackExecutor(callbacks));
            if (settings.idleClients() > 0) {
                idle = IdleClients.connect(endpoint, settings.idleClients(), settings.timeout());
            }
            if (inProcess != null) {
                return measure(client, settings, inline ? MODE_INLINE : MODE).withBroker(-1, settings.idleClients());
            }
            long before = brokerCpuNanos(client, settings);   // a broker in its own process: what it cost too
            RunResult result = measure(client, settings, inline ? MODE_INLINE : MODE);
            long after = brokerCpuNanos(client, settings);
            return result.withBroker(before < 0 || after < 0 ? -1 : after - before, settings.idleClients());
        } finally {
            Quietly.close(idle);
            Quietly.close(client);
            Quietly.close(worker);
            Quietly.close(inProcess);
        }
    }

    private static RunResult measure(Client client, ReqRepSettings settings, String mode) {
        Message message = Message.of(settings.body());
        RequestOptions options = RequestOptions.of(settings.timeout(), 0);
        firstReply(client, message, options, settings);
        RoundTrips trips = new RoundTrips(settings.warmup(), settings.count());
        Sender sender = new Sender(client, message, options, trips);
        trips.begin(System.nanoTime());
        for (int i = 0; i < settings.inflight() && trips.tryIssue(); i++) {
            sender.send();
        }
        trips.await(settings.timeout());
        return trips.result(mode, settings);
    }

    /** The CPU time the broker process has used so far, from its status document; -1 when it does not say. */
    private static long brokerCpuNanos(Client client, ReqRepSettings settings) {
        try {
            String status = client.status().get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            double seconds = Json.read(status).path("process").path("cpuSeconds").asDouble(-1);
            return seconds < 0 ? -1 : (long) (seconds * 1e9);
        } catch (ExecutionException | TimeoutException e) {
            return -1;   // an older broker, or a slow one: the figure is left out, the run still counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** One round trip before the clock starts: the worker has registered and the path works end to end. */
    private static void firstReply(Client client, Message message, RequestOptions options, ReqRepSettings settings) {
        try {
            client.request(SERVICE, message, options).get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw RoundTrips.rethrow(e.getCause());
        } catch (TimeoutException e) {
            throw new CourierException(Reason.TIMEOUT, "first request to '" + SERVICE + "' got no reply", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CourierException(Reason.CLOSED, "benchmark interrupted", e);
        }
    }

    /** Sends one request and, from its completion, the next: keeps the number in flight constant. Thread-safe. */
    private static final class Sender {
        private final Client client;
        private final Message message;
        private final RequestOptions options;
        private final RoundTrips trips;
        private final int size;

        Sender(Client client, Message message, RequestOptions options, RoundTrips trips) {
            this.client = client;
            this.message = message;
            this.options = options;
            this.trips = trips;
            this.size = message.body().length;
        }

        void send() {
            long sentAt = System.nanoTime();
            try {
                client.request(SERVICE, message, options).whenComplete((reply, error) -> onDone(sentAt, reply, error));
            } catch (RuntimeException e) {
                trips.fail(e);
            }
        }

        private void onDone(long sentAt, Message reply, Throwable error) {
            long now = System.nanoTime();
            if (error != null) {
                trips.fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            if (reply.body().length != size) {
                trips.fail(new CourierException(Reason.PROTOCOL, "echo of " + size + " bytes came back with "
                        + reply.body().length));
                return;
            }
            trips.onReply(sentAt, now);
            if (trips.tryIssue()) {
                send();
            }
        }
    }
}
