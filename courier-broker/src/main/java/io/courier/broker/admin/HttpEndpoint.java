package io.courier.broker.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.courier.broker.metrics.BrokerMetrics;
import io.courier.core.ConfigException;
import io.courier.core.CourierException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP endpoint: {@code /metrics} (Prometheus text), {@code /health}, {@code /ready} and
 * {@code /status} (JSON). Serves on two daemon threads {@code courier-http-N}; never touches a ZeroMQ socket.
 * {@link #start}, {@link #url()} and {@link #close()} are safe from any thread.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final String KEY = "endpoints.http";
    private static final int THREADS = 2;
    private static final long STATUS_WAIT_MILLIS = 2_000;
    private static final long START_WAIT_MILLIS = 5_000;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String url;
    private final BrokerMetrics metrics;
    private final BooleanSupplier alive;
    private final BooleanSupplier ready;
    private final Supplier<CompletableFuture<String>> status;
    private final PrometheusTextFormatWriter textFormat = PrometheusTextFormatWriter.create();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpEndpoint(HttpServer server, ExecutorService executor, String url, BrokerMetrics metrics,
                         BooleanSupplier alive, BooleanSupplier ready, Supplier<CompletableFuture<String>> status) {
        this.server = server;
        this.executor = executor;
        this.url = url;
        this.metrics = metrics;
        this.alive = alive;
        this.ready = ready;
        this.status = status;
    }

    /**
     * Binds {@code hostPort} ({@code 127.0.0.1:9555}, {@code [::1]:9555}; port 0 picks a free one) and serves.
     *
     * @param alive  true while the broker loop runs ({@code /health} 200, else 503)
     * @param ready  true once every endpoint is bound ({@code /ready} 200, else 503)
     * @param status the status document as JSON ({@code /status}); waited for at most 2 s, else 503
     * @throws io.courier.core.ConfigException when the address is invalid or cannot be bound, naming it and the
     *                                             cause on one line
     */
    public static HttpEndpoint start(String hostPort, BrokerMetrics metrics, BooleanSupplier alive,
                                     BooleanSupplier ready, Supplier<CompletableFuture<String>> status) {
        Objects.requireNonNull(hostPort, "hostPort");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(alive, "alive");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(status, "status");
        InetSocketAddress address = address(hostPort);
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) { // a BindException says why: "address already in use"
            throw new ConfigException(KEY + ": cannot bind " + hostPort + ": " + oneLine(e), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        String url = url(address.getHostString(), server.getAddress().getPort());
        HttpEndpoint endpoint = new HttpEndpoint(server, executor, url, metrics, alive, ready, status);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        endpoint.startOn(executor);
        LOG.info("http endpoint started url={}", url);
        return endpoint;
    }

    /** The bound address as a URL, {@code http://127.0.0.1:9555}, with the real port when 0 was asked for. */
    public String url() {
        return url;
    }

    /**
     * Stops serving: at once when no request is in flight, else after at most 1 s; then ends the HTTP threads.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // HttpServer.stop(n) on JDK 17 waits the full n seconds even when idle, so only wait when needed.
        server.stop(inFlight.get() == 0 ? 0 : 1);
        executor.shutdownNow();
        LOG.info("http endpoint stopped url={}", url);
    }

    /** {@code host:port} to an address; IPv6 hosts go in brackets. Package-private for tests. */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw invalid(hostPort, "expected host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw invalid(hostPort, "unbalanced brackets");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw invalid(hostPort, "an IPv6 host needs brackets, as in [::1]:9555");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(hostPort, "port is not a number");
        }
        if (port < 0 || port > 0xFFFF) {
            throw invalid(hostPort, "port must be 0-65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw invalid(hostPort, "cannot resolve host " + host);
        }
        return address;
    }

    /** {@code http://host:port}, with an IPv6 host in brackets. Package-private for tests. */
    static String url(String host, int port) {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Starts the server from one of our daemon threads: its dispatcher thread inherits the daemon flag from the
     * thread that calls {@link HttpServer#start()}, and must not keep the JVM alive if close() is never called.
     */
    private void startOn(ExecutorService starter) {
        try {
            starter.submit(server::start).get(START_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new CourierException(CourierException.Reason.CLOSED, KEY + ": start interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new CourierException(CourierException.Reason.UNAVAILABLE, KEY + ": start failed", e);
        }
    }

    /** Runs on a courier-http thread, one exchange at a time per thread. */
    private void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try {
            route(exchange);
        } catch (IOException e) {
            LOG.debug("http exchange failed path={} error={}", exchange.getRequestURI().getPath(), e.toString());
        } catch (RuntimeException e) {
            LOG.warn("http handler failed path={}", exchange.getRequestURI().getPath(), e);
            sendQuietly(exchange, 500, TEXT, "internal error");
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean known = "/metrics".equals(path) || "/health".equals(path) || "/ready".equals(path)
            || "/status".equals(path);
        if (!known) {
            send(exchange, 404, TEXT, "not found");
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, TEXT, "method not allowed");
            return;
        }
        switch (path) {
            case "/metrics" -> sendMetrics(exchange);
            case "/health" -> sendFlag(exchange, alive.getAsBoolean(), "ok", "not alive");
            case "/ready" -> sendFlag(exchange, ready.getAsBoolean(), "ready", "not ready");
            default -> sendStatus(exchange);
        }
    }

    private void sendMetrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        textFormat.write(body, metrics.registry().scrape());
        send(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
    }

    private static void sendFlag(HttpExchange exchange, boolean up, String upText, String downText)
        throws IOException {
        send(exchange, up ? 200 : 503, TEXT, up ? upText : downText);
    }

    private void sendStatus(HttpExchange exchange) throws IOException {
        String json;
        try {
            json = status.get().get(STATUS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            send(exchange, 503, TEXT, "status timed out");
            return;
        } catch (ExecutionException e) {
            LOG.debug("http status failed error={}", String.valueOf(e.getCause()));
            send(exchange, 503, TEXT, "status unavailable");
            return;
        } catch (InterruptedException e) {
            // Only close() interrupts these threads: answer and let the thread end.
            Thread.currentThread().interrupt();
            send(exchange, 503, TEXT, "stopping");
            return;
        }
        if (json == null) {
            send(exchange, 503, TEXT, "status unavailable");
            return;
        }
        send(exchange, 200, "application/json", json);
    }

    private static void send(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        send(exchange, code, contentType, body.getBytes(UTF_8));
    }

    private static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sendQuietly(HttpExchange exchange, int code, String contentType, String body) {
        if (exchange.getResponseCode() != -1) {
            return; // headers already went out: the client sees a cut response
        }
        try {
            send(exchange, code, contentType, body);
        } catch (IOException e) {
            LOG.debug("http error reply failed error={}", e.toString());
        }
    }

    private static ConfigException invalid(String hostPort, String problem) {
        return new ConfigException(KEY + ": invalid address " + hostPort + ": " + problem);
    }

    /** The cause's message, lower-cased on one line: {@code address already in use}. */
    private static String oneLine(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger next = new AtomicInteger(1);
        return task -> {
            Thread thread = new Thread(task, "courier-http-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
