package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Welcome;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.FakePeer;
import io.courier.testkit.PyZmq;
import io.courier.testkit.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's {@code /metrics} after real traffic (successful requests, an unknown service, a malformed message,
 * a peer that goes silent, a config reload), checked twice: parsed by Python's prometheus_client, the reference
 * parser (src/test/resources/prometheus; skipped when it is not installed), and by plain line matching, which always
 * runs. Also {@code /health}, {@code /ready} and {@code /status}.
 *
 * <p>{@link GrafanaDashboardIT} reuses {@link #httpConfig}, {@link #sendTraffic} and {@link #get}.
 */
@Timeout(20)
class MetricsIT {
    /** Successful echo requests sent by {@link #sendTraffic}. */
    static final int OK_REQUESTS = 7;
    static final String SERVICE = "echo";
    static final String UNKNOWN_SERVICE = "nobody-serves-this";

    private static final String PARSER = "prometheus/parse_exposition.py";
    private static final String PARSER_MISSING =
            "prometheus_client not installed: apt-get install python3-prometheus-client";
    private static final long PYTHON_WAIT_SECONDS = 10;
    /** Heartbeat liveness for these tests: a JVM or machine stall of a few hundred ms must not drop a peer. */
    private static final int LIVENESS = 10;
    private static final int PEER_ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (\\S+) (\\S+)");
    private static final Pattern SAMPLE_LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path data;
    @TempDir
    Path scripts;
    private TestBroker broker;
    private Worker worker;
    private Client client;
    private String exposition;

    @BeforeEach
    void startAndSendTraffic() {
        broker = TestBroker.start(httpConfig(data));
        worker = Worker.start(clientConfig(broker), SERVICE, request -> request);
        client = Client.connect(clientConfig(broker));
        exposition = sendTraffic(broker, client);
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldExposeMetricsThatPrometheusClientParses() {
        Assumptions.assumeTrue(PrometheusClient.AVAILABLE, PARSER_MISSING);

        Map<String, JsonNode> families = parseWithPrometheusClient(exposition);

        assertThat(families.values()).as("families the parser could not attribute to a # TYPE")
                .noneMatch(f -> f.path("type").asText().matches("untyped|unknown"));
        assertFamily(families, "courier_requests", "counter", "courier_requests_total", "service", "outcome");
        assertFamily(families, "courier_requests_received", "counter", "courier_requests_received_total", "service");
        assertFamily(families, "courier_request_duration_seconds", "histogram",
                "courier_request_duration_seconds_bucket", "service", "le");
        assertFamily(families, "courier_request_duration_seconds", "histogram",
                "courier_request_duration_seconds_count", "service");
        assertFamily(families, "courier_request_duration_seconds", "histogram",
                "courier_request_duration_seconds_sum", "service");
        assertFamily(families, "courier_workers", "gauge", "courier_workers", "service");
        assertFamily(families, "courier_queued_requests", "gauge", "courier_queued_requests", "service");
        assertFamily(families, "courier_malformed_messages", "counter", "courier_malformed_messages_total", "reason");
        assertFamily(families, "courier_heartbeat_expiries", "counter", "courier_heartbeat_expiries_total", "role");
        assertFamily(families, "courier_connections", "gauge", "courier_connections");
        assertFamily(families, "courier_sessions", "counter", "courier_sessions_total");
        assertFamily(families, "courier_send_failures", "counter", "courier_send_failures_total", "reason");
        assertFamily(families, "courier_config_reloads", "counter", "courier_config_reloads_total", "result");
        assertFamily(families, "courier_config_valid", "gauge", "courier_config_valid");

        assertThat(parsedValue(families, "courier_requests_total", Map.of("service", SERVICE, "outcome", "ok")))
                .isEqualTo(OK_REQUESTS);
        assertThat(parsedValue(families, "courier_requests_total",
                Map.of("service", UNKNOWN_SERVICE, "outcome", "unknown_service"))).isEqualTo(1);
        assertThat(parsedValue(families, "courier_request_duration_seconds_count", Map.of("service", SERVICE)))
                .isEqualTo(OK_REQUESTS);
        assertThat(parsedValue(families, "courier_request_duration_seconds_bucket",
                Map.of("service", SERVICE, "le", "+Inf"))).isEqualTo(OK_REQUESTS);
        assertThat(parsedValue(families, "courier_workers", Map.of("service", SERVICE))).isEqualTo(1);
        assertThat(parsedSum(families, "courier_malformed_messages_total")).isGreaterThanOrEqualTo(1);
        assertThat(parsedSum(families, "courier_heartbeat_expiries_total")).isGreaterThanOrEqualTo(1);
        assertThat(parsedValue(families, "courier_config_reloads_total", Map.of("result", "applied")))
                .isEqualTo(1);
        assertThat(parsedValue(families, "courier_config_valid", Map.of())).isEqualTo(1);
        assertThat(families.keySet()).as("JVM metric families")
                .anyMatch(name -> name.startsWith("jvm_memory"))
                .anyMatch(name -> name.startsWith("jvm_gc"))
                .anyMatch(name -> name.startsWith("jvm_threads"));
    }

    @Test
    void shouldExposeTheSameFactsByLineMatching() {
        Map<String, String> types = types(exposition);

        assertThat(types).containsEntry("courier_requests_total", "counter")
                .containsEntry("courier_requests_received_total", "counter")
                .containsEntry("courier_request_duration_seconds", "histogram")
                .containsEntry("courier_workers", "gauge")
                .containsEntry("courier_queued_requests", "gauge")
                .containsEntry("courier_malformed_messages_total", "counter")
                .containsEntry("courier_heartbeat_expiries_total", "counter")
                .containsEntry("courier_connections", "gauge")
                .containsEntry("courier_sessions_total", "counter")
                .containsEntry("courier_send_failures_total", "counter")
                .containsEntry("courier_config_reloads_total", "counter")
                .containsEntry("courier_config_valid", "gauge");
        assertThat(sampleValue(exposition, "courier_requests_total", Map.of("service", SERVICE, "outcome", "ok")))
                .isEqualTo(OK_REQUESTS);
        assertThat(sampleValue(exposition, "courier_requests_total",
                Map.of("service", UNKNOWN_SERVICE, "outcome", "unknown_service"))).isEqualTo(1);
        assertThat(sampleValue(exposition, "courier_request_duration_seconds_bucket",
                Map.of("service", SERVICE, "le", "+Inf"))).isEqualTo(OK_REQUESTS);
        assertThat(sampleValue(exposition, "courier_workers", Map.of("service", SERVICE))).isEqualTo(1);
        assertThat(sampleSum(exposition, "courier_malformed_messages_total")).isGreaterThanOrEqualTo(1);
        assertThat(labelNames(exposition, "courier_malformed_messages_total")).containsExactly("reason");
        assertThat(labelNames(exposition, "courier_heartbeat_expiries_total")).containsExactly("role");
        assertThat(labelNames(exposition, "courier_send_failures_total")).containsExactly("reason");
        assertThat(sampleValue(exposition, "courier_config_valid", Map.of())).isEqualTo(1);
        assertThat(types.keySet()).as("JVM metric families")
                .contains("jvm_memory_used_bytes", "jvm_threads_current")
                .anyMatch(name -> name.startsWith("jvm_gc"));
    }

    @Test
    void shouldAnswerHealthReadyAndStatus() throws Exception {
        String url = broker.broker().httpEndpoint();

        HttpResponse<String> metrics = get(url + "/metrics");
        HttpResponse<String> health = get(url + "/health");
        HttpResponse<String> ready = get(url + "/ready");
        HttpResponse<String> status = get(url + "/status");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(status.body());
        assertThat(document.path("services").findValuesAsText("name")).contains(SERVICE);
        assertThat(document.path("workers").findValuesAsText("service")).contains(SERVICE);
    }

    /**
     * Ephemeral loopback endpoints, http on a free port, heartbeats 100ms x {@value #LIVENESS}, and a 100ms wait
     * before UNKNOWN_SERVICE.
     */
    static BrokerConfig httpConfig(Path dataDir) {
        return TestBroker.config(dataDir)
                .withHeartbeat(new BrokerConfig.Heartbeat(TestBroker.HEARTBEAT, LIVENESS))
                .withEndpoints(new BrokerConfig.Bind("tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
                        "127.0.0.1:0"))
                .withRequests(new BrokerConfig.Requests(Duration.ofSeconds(30), Duration.ofMillis(100), 10_000));
    }

    /** Client and worker settings to match {@link #httpConfig}: heartbeats 100ms x {@value #LIVENESS}. */
    static ClientConfig clientConfig(TestBroker broker) {
        return broker.clientConfig().withHeartbeat(TestBroker.HEARTBEAT, LIVENESS);
    }

    /**
     * Makes every broker metric family show up: {@link #OK_REQUESTS} echo requests (a worker for {@link #SERVICE}
     * must be running), one request to {@link #UNKNOWN_SERVICE}, one malformed message, a peer that says hello and
     * vanishes (a heartbeat expiry, and heartbeats sent to it that fail), and one applied config reload. Waits until
     * {@code /metrics} shows all of it and returns that scrape.
     */
    static String sendTraffic(TestBroker broker, Client client) {
        broker.awaitWorkers(1);
        for (int i = 0; i < OK_REQUESTS; i++) {
            String body = "hello " + i;
            assertThat(reply(client, body)).isEqualTo(body);
        }
        assertThat(Failures.courierFailure(client.request(UNKNOWN_SERVICE, Message.of("anyone?")), ofSeconds(5))
                .reason()).isEqualTo(Reason.UNKNOWN_SERVICE);
        sendFromVanishingPeer(broker);
        assertThat(broker.broker().reload(() -> broker.broker().config()).error()).isNull();
        String metricsUrl = broker.broker().httpEndpoint() + "/metrics";
        String[] last = new String[1];
        await("/metrics shows the traffic").atMost(ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = get(metricsUrl).body();
            return sampleValue(last[0], "courier_requests_total", Map.of("service", SERVICE, "outcome", "ok"))
                    == OK_REQUESTS
                    && sampleSum(last[0], "courier_malformed_messages_total") >= 1
                    && sampleSum(last[0], "courier_heartbeat_expiries_total") >= 1
                    && sampleSum(last[0], "courier_send_failures_total") >= 1;
        });
        return last[0];
    }

    /**
     * A fake peer says hello, sends one malformed message, then vanishes without a word: the broker counts the
     * message, fails to send it heartbeats, and expires it. A new connection is tried when the first gets no
     * welcome within a second (a fresh fake peer's connection is now and then dead on arrival).
     */
    private static void sendFromVanishingPeer(TestBroker broker) {
        long malformedBefore = broker.malformedMessages();
        for (int attempt = 1; attempt <= PEER_ATTEMPTS; attempt++) {
            try (FakePeer peer = FakePeer.connect(broker.endpoint())) {
                peer.send(new Hello(Headers.EMPTY));
                if (peer.recvMatching(msg -> FakePeer.decode(msg) instanceof Welcome, ofSeconds(1)) != null) {
                    peer.send("not a courier frame".getBytes(UTF_8));
                    peer.keepAliveUntil("broker counted the malformed message",
                            () -> broker.malformedMessages() > malformedBefore, ofSeconds(5));
                    return;
                }
            }
        }
        throw new AssertionError("no fake peer got a welcome in " + PEER_ATTEMPTS + " attempts [endpoint="
                + broker.endpoint() + "]");
    }

    /** GETs {@code url}, bounded by 5 seconds. */
    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(ofSeconds(5)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    /** The {@code # TYPE} lines: metric name to type. */
    static Map<String, String> types(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = TYPE_LINE.matcher(line);
            if (m.matches()) {
                types.put(m.group(1), m.group(2));
            }
        }
        return types;
    }

    private static String reply(Client client, String body) {
        try {
            return client.request(SERVICE, Message.of(body)).get(5, TimeUnit.SECONDS).bodyAsString();
        } catch (Exception e) {
            throw new AssertionError("echo request failed: " + e, e);
        }
    }

    /** The value of the one sample {@code name} whose labels include {@code labels}; NaN when there is none. */
    private static double sampleValue(String text, String name, Map<String, String> labels) {
        List<Double> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE_LINE.matcher(line);
            if (!line.startsWith("#") && m.matches() && m.group(1).equals(name)
                    && labels(m.group(2)).entrySet().containsAll(labels.entrySet())) {
                values.add(Double.parseDouble(m.group(3)));
            }
        }
        assertThat(values).as("samples of %s%s", name, labels).hasSizeLessThanOrEqualTo(1);
        return values.isEmpty() ? Double.NaN : values.get(0);
    }

    private static double sampleSum(String text, String name) {
        double sum = 0;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE_LINE.matcher(line);
            if (!line.startsWith("#") && m.matches() && m.group(1).equals(name)) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    private static Set<String> labelNames(String text, String name) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE_LINE.matcher(line);
            if (!line.startsWith("#") && m.matches() && m.group(1).equals(name)) {
                names.addAll(labels(m.group(2)).keySet());
            }
        }
        return names;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }

    /**
     * Asserts that family {@code family} has type {@code type} and a sample {@code sample} whose label names are
     * exactly {@code labelNames}.
     */
    private static void assertFamily(Map<String, JsonNode> families, String family, String type, String sample,
                                     String... labelNames) {
        assertThat(families).as("metric families parsed").containsKey(family);
        JsonNode parsed = families.get(family);
        assertThat(parsed.path("type").asText()).as("type of %s", family).isEqualTo(type);
        List<Set<String>> labelSets = new ArrayList<>();
        for (JsonNode s : parsed.path("samples")) {
            if (s.path("name").asText().equals(sample)) {
                Set<String> names = new TreeSet<>();
                s.path("labels").fieldNames().forEachRemaining(names::add);
                labelSets.add(names);
            }
        }
        assertThat(labelSets).as("label names of the %s samples", sample).isNotEmpty()
                .allSatisfy(names -> assertThat(names).containsExactlyInAnyOrder(labelNames));
    }

    private static double parsedValue(Map<String, JsonNode> families, String sample, Map<String, String> labels) {
        List<Double> values = new ArrayList<>();
        for (JsonNode s : parsedSamples(families, sample)) {
            Map<String, String> have = new HashMap<>();
            s.path("labels").properties().forEach(e -> have.put(e.getKey(), e.getValue().asText()));
            if (have.entrySet().containsAll(labels.entrySet())) {
                values.add(number(s.path("value")));
            }
        }
        assertThat(values).as("parsed samples of %s%s", sample, labels).hasSize(1);
        return values.get(0);
    }

    private static double parsedSum(Map<String, JsonNode> families, String sample) {
        return parsedSamples(families, sample).stream().mapToDouble(s -> number(s.path("value"))).sum();
    }

    private static List<JsonNode> parsedSamples(Map<String, JsonNode> families, String sample) {
        List<JsonNode> samples = new ArrayList<>();
        for (JsonNode family : families.values()) {
            for (JsonNode s : family.path("samples")) {
                if (s.path("name").asText().equals(sample)) {
                    samples.add(s);
                }
            }
        }
        return samples;
    }

    private static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        return switch (value.asText()) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    /**
     * Runs the reference parser on {@code text} and returns its families by name; fails the test, with the
     * parser's error, when the text does not parse.
     */
    private Map<String, JsonNode> parseWithPrometheusClient(String text) {
        try {
            Path script = scripts.resolve("parse_exposition.py");
            try (InputStream in = MetricsIT.class.getClassLoader().getResourceAsStream(PARSER)) {
                assertThat(in).as("classpath resource %s", PARSER).isNotNull();
                Files.copy(in, script);
            }
            Path stdout = scripts.resolve("stdout.json");
            Path stderr = scripts.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(PyZmq.PYTHON.toString(), script.toString())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().remove("PYTHONPATH");
            builder.environment().remove("PYTHONHOME");
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(text.getBytes(UTF_8));
            }
            if (!process.waitFor(PYTHON_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("prometheus_client parser still running after " + PYTHON_WAIT_SECONDS
                        + "s");
            }
            assertThat(process.exitValue()).as("parser exit code; stderr:%n%s%nexposition:%n%s",
                    Files.readString(stderr, UTF_8), text).isZero();
            Map<String, JsonNode> families = new LinkedHashMap<>();
            for (JsonNode family : JSON.readTree(stdout.toFile()).path("families")) {
                assertThat(families.put(family.path("name").asText(), family))
                        .as("family %s appears once", family.path("name").asText()).isNull();
            }
            return families;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + PARSER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while parsing", e);
        }
    }

    /** Whether {@code /usr/bin/python3 -c 'import prometheus_client'} works; probed once per JVM. */
    private static final class PrometheusClient {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            if (!Files.isExecutable(PyZmq.PYTHON)) {
                return false;
            }
            try {
                ProcessBuilder builder = new ProcessBuilder(PyZmq.PYTHON.toString(), "-c", "import prometheus_client")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                builder.environment().remove("PYTHONPATH");
                builder.environment().remove("PYTHONHOME");
                Process process = builder.start();
                if (!process.waitFor(PYTHON_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return false;
                }
                return process.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
