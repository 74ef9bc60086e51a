package io.courier.broker.admin;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.courier.broker.metrics.BrokerMetrics;
import io.courier.broker.metrics.BrokerMetrics.Outcome;
import io.courier.core.ConfigException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class HttpEndpointTest {
    private static final String STATUS_JSON = "{\"state\":\"running\",\"services\":1}";

    private final BrokerMetrics metrics = new BrokerMetrics();
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ofSeconds(5)).build();
    private final List<HttpEndpoint> started = new ArrayList<>();
    private volatile Supplier<CompletableFuture<String>> status = () -> CompletableFuture.completedFuture(STATUS_JSON);
    private HttpEndpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = start("127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void shouldServeMetricsInPrometheusTextFormat() throws Exception {
        metrics.onRequest("echo");
        metrics.onRequestDone("echo", Outcome.UNKNOWN_SERVICE, 1_000_000);
        metrics.onWorkers("echo", 2);
        metrics.onQueued("echo", 1);
        metrics.onMalformed("too_large");
        metrics.onHeartbeatExpired("client");
        metrics.onConnections(3);
        metrics.onSendFailed("full");

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains(
            "courier_requests_received_total{service=\"echo\"} 1.0",
            "courier_requests_total{outcome=\"unknown_service\",service=\"echo\"} 1.0",
            "courier_request_duration_seconds_count{service=\"echo\"} 1",
            "courier_workers{service=\"echo\"} 2.0",
            "courier_queued_requests{service=\"echo\"} 1.0",
            "courier_malformed_messages_total{reason=\"too_large\"} 1.0",
            "courier_heartbeat_expiries_total{role=\"client\"} 1.0",
            "courier_connections 3.0",
            "courier_send_failures_total{reason=\"full\"} 1.0",
            "# TYPE jvm_threads_current gauge");
    }

    @Test
    void shouldAnswerHealthWhileAlive() throws Exception {
        HttpResponse<String> up = get("/health");
        alive.set(false);
        HttpResponse<String> down = get("/health");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("ok");
        assertThat(down.statusCode()).isEqualTo(503);
    }

    @Test
    void shouldFlipReadyWhenTheBrokerIsReady() throws Exception {
        HttpResponse<String> before = get("/ready");
        ready.set(true);
        HttpResponse<String> after = get("/ready");

        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).isEqualTo("not ready");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("ready");
    }

    @Test
    void shouldServeStatusAsJson() throws Exception {
        HttpResponse<String> response = get("/status");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(STATUS_JSON);
    }

    @Test
    void shouldAnswer503WhenStatusDoesNotArriveWithinTwoSeconds() throws Exception {
        status = CompletableFuture::new;

        assertThat(get("/status").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldAnswer503WhenStatusFails() throws Exception {
        status = () -> CompletableFuture.failedFuture(new IllegalStateException("loop stopped"));

        assertThat(get("/status").statusCode()).isEqualTo(503);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/metrics/extra", "/healthz"})
    void shouldAnswer404ForUnknownPaths(String path) throws Exception {
        assertThat(get(path).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/health", "/ready", "/status"})
    void shouldAnswer405ForOtherMethods(String path) throws Exception {
        HttpResponse<String> response = send(request(path).POST(HttpRequest.BodyPublishers.ofString("x")));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void shouldReportTheRealPortInItsUrl() {
        URI url = URI.create(endpoint.url());

        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).isPositive();
    }

    @Test
    void shouldFailWithAOneLineConfigExceptionWhenThePortIsInUse() {
        int port = URI.create(endpoint.url()).getPort();

        assertThatThrownBy(() -> start("127.0.0.1:" + port))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("endpoints.http: cannot bind 127.0.0.1:" + port + ": address already in use")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":9555", "127.0.0.1:http", "127.0.0.1:65536",
        "127.0.0.1:-1", "::1:9555", "[::1:9555", "[]:9555"})
    void shouldRejectAnInvalidAddress(String hostPort) {
        assertThatThrownBy(() -> start(hostPort))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("endpoints.http: invalid address " + hostPort + ": ");
    }

    @Test
    void shouldAcceptABracketedIpv6Host() {
        InetSocketAddress address = HttpEndpoint.address("[::1]:9555");

        assertThat(address.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(address.getPort()).isEqualTo(9555);
        assertThat(HttpEndpoint.url("::1", 9555)).isEqualTo("http://[::1]:9555");
    }

    @Test
    void shouldServeOnDaemonThreadsNamedCourierHttp() throws Exception {
        get("/health");

        assertThat(Thread.getAllStackTraces().keySet())
            .filteredOn(thread -> thread.getName().startsWith("courier-http-"))
            .isNotEmpty()
            .allMatch(Thread::isDaemon);
    }

    @Test
    void shouldStopServingOnCloseAndAllowASecondClose() {
        endpoint.close();
        endpoint.close();

        assertThatThrownBy(() -> get("/health")).isInstanceOf(IOException.class);
    }

    @Test
    void shouldCloseWithinBoundsWhileARequestIsInFlight() {
        AtomicBoolean asked = new AtomicBoolean();
        status = () -> {
            asked.set(true);
            return new CompletableFuture<>();
        };
        CompletableFuture<HttpResponse<String>> pending =
            http.sendAsync(request("/status").GET().build(), HttpResponse.BodyHandlers.ofString());
        await("status requested").atMost(ofSeconds(5)).untilTrue(asked);

        assertTimeout(ofSeconds(3), endpoint::close);
        await("pending request ended").atMost(ofSeconds(5)).until(pending::isDone);
    }

    private HttpEndpoint start(String hostPort) {
        HttpEndpoint created = HttpEndpoint.start(hostPort, metrics, alive::get, ready::get, () -> status.get());
        started.add(created);
        return created;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(endpoint.url() + path)).timeout(ofSeconds(5));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
