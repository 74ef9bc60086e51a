package io.courier.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.Client;
import io.courier.client.ConsumeOptions;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import io.courier.client.StreamEvent;
import io.courier.client.StreamListener;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.client.Worker;
import io.courier.testkit.Closeables;
import io.courier.testkit.TestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard shipped in the distribution (courier-cli/src/dist/grafana/courier-dashboard.json): it has
 * the shape Grafana's import expects (a {@code ${DS_PROMETHEUS}} datasource input, unique panel ids, a grid without
 * overlaps), and every metric its queries use is one a real broker exposes on {@code /metrics}.
 */
@Timeout(20)
class GrafanaDashboardIT {
    private static final Path DASHBOARD = moduleDir().resolve("../courier-cli/src/dist/grafana/courier-dashboard.json")
            .normalize();
    private static final String DATASOURCE = "${DS_PROMETHEUS}";
    private static final int GRID_COLUMNS = 24;
    private static final Pattern METRIC = Pattern.compile("(?<![A-Za-z0-9_:$])(?:courier|jvm)_[a-z_]+");
    private static final Pattern INPUT_REFERENCE = Pattern.compile("\\$\\{(DS_[A-Z0-9_]+)}");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldHaveTheShapeGrafanaImports() throws IOException {
        JsonNode dashboard = readDashboard();

        assertThat(dashboard.path("schemaVersion").asInt()).as("schemaVersion").isBetween(36, 41);
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(dashboard.path("id").isNull()).as("id is null, so that an import creates a new dashboard")
                .isTrue();
        JsonNode input = single(dashboard.path("__inputs"), "name", "DS_PROMETHEUS");
        assertThat(input.path("type").asText()).isEqualTo("datasource");
        assertThat(input.path("pluginId").asText()).isEqualTo("prometheus");
        Set<String> declared = new HashSet<>();
        dashboard.path("__inputs").forEach(i -> declared.add(i.path("name").asText()));
        assertThat(inputReferences(dashboard)).as("${DS_...} references, each declared in __inputs")
                .isNotEmpty().isSubsetOf(declared);
        Set<String> required = new HashSet<>();
        dashboard.path("__requires").forEach(r -> required.add(r.path("type").asText() + ":" + r.path("id").asText()));
        assertThat(required).contains("grafana:grafana", "datasource:prometheus");

        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(10);
        Set<Integer> ids = new HashSet<>();
        boolean[][] grid = new boolean[GRID_COLUMNS][500];
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).as("panel title").isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as("id of panel '%s' is unique", title).isTrue();
            assertThat(panel.path("id").asInt()).as("id of panel '%s'", title).isPositive();
            placeOnGrid(grid, panel);
            if (!panel.path("type").asText().equals("row")) {
                assertThat(required).as("__requires lists the type of panel '%s'", title)
                        .contains("panel:" + panel.path("type").asText());
                assertQueries(panel);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            assertThat(variable.path("datasource").path("uid").asText()).as("datasource of variable %s",
                    variable.path("name").asText()).isEqualTo(DATASOURCE);
        }
    }

    @Test
    void shouldChartRequestWorkerFaultConfigAndJvmMetrics() throws IOException {
        Set<String> used = metricNames(readDashboard());

        assertThat(used).contains("courier_requests_total", "courier_requests_received_total",
                "courier_request_duration_seconds_bucket", "courier_workers", "courier_queued_requests",
                "courier_connections", "courier_malformed_messages_total", "courier_heartbeat_expiries_total",
                "courier_send_failures_total", "courier_config_valid", "jvm_memory_used_bytes",
                "courier_stream_messages_published_total", "courier_stream_messages_lost_total", "courier_queue_depth",
                "courier_queue_confirmed_total", "courier_store_sync_seconds_bucket")
                .anyMatch(name -> name.startsWith("jvm_gc_"));
    }

    @Test
    void shouldUseOnlyMetricsThatTheBrokerExposes() throws Exception {
        Set<String> used = metricNames(readDashboard());
        broker = TestBroker.start(MetricsIT.httpConfig(data));
        worker = Worker.start(MetricsIT.clientConfig(broker), MetricsIT.SERVICE, request -> request);
        client = Client.connect(MetricsIT.clientConfig(broker));
        streamAndQueueTraffic(client);

        MetricsIT.sendTraffic(broker, client);
        String metricsUrl = broker.broker().httpEndpoint() + "/metrics";
        String[] text = new String[1];
        Awaitility.await("/metrics shows the queue").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    text[0] = MetricsIT.get(metricsUrl).body();
                    return text[0].contains("courier_queue_depth{");   // queue gauges are sampled once a second
                });
        Map<String, String> exposed = MetricsIT.types(text[0]);

        Set<String> missing = new TreeSet<>();
        for (String name : used) {
            if (!isExposed(name, exposed)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("metrics the dashboard queries that /metrics does not expose (it has %s)",
                exposed.keySet()).isEmpty();
    }

    /** A stream published and subscribed to, and a durable queue enqueued to and consumed from, with one ack. */
    private static void streamAndQueueTraffic(Client client) throws Exception {
        CountDownLatch event = new CountDownLatch(1);
        Subscription sub = client.subscribe("grafana.", SubscribeOptions.ofNow(), new StreamListener() {
            @Override
            public void onEvent(StreamEvent e) {
                event.countDown();
            }
        });
        sub.awaitSubscribed(Duration.ofSeconds(5));
        client.publish("grafana.t", Message.of("x")).get(5, TimeUnit.SECONDS);
        assertThat(event.await(5, TimeUnit.SECONDS)).as("stream event delivered").isTrue();
        client.enqueue("grafana.q", Message.of("y")).get(5, TimeUnit.SECONDS);
        CountDownLatch delivered = new CountDownLatch(1);
        try (QueueConsumer consumer = client.consume("grafana.q", ConsumeOptions.defaults(),
                d -> delivered.countDown())) {
            consumer.awaitConsuming(Duration.ofSeconds(5));
            assertThat(delivered.await(5, TimeUnit.SECONDS)).as("queue message delivered").isTrue();
        }
    }

    /** A name is exposed as a family of its own, or as the _bucket, _count or _sum series of a histogram/summary. */
    private static boolean isExposed(String name, Map<String, String> exposed) {
        if (exposed.containsKey(name)) {
            return true;
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                String type = exposed.get(name.substring(0, name.length() - suffix.length()));
                return "histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"));
            }
        }
        return false;
    }

    private static void assertQueries(JsonNode panel) {
        String title = panel.path("title").asText();
        assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel '%s'", title)
                .isEqualTo(DATASOURCE);
        assertThat(panel.path("datasource").path("type").asText()).isEqualTo("prometheus");
        assertThat(panel.path("targets")).as("queries of panel '%s'", title).isNotEmpty();
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : panel.path("targets")) {
            String expr = target.path("expr").asText();
            assertThat(expr).as("query of panel '%s'", title).isNotBlank();
            assertThat(refIds.add(target.path("refId").asText())).as("refIds of panel '%s' are unique", title)
                    .isTrue();
            assertThat(target.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
            assertBalanced(title, expr);
        }
    }

    /** Parentheses, brackets and braces nest properly outside quoted strings: a cheap PromQL typo check. */
    private static void assertBalanced(String title, String expr) {
        StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.append(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                char expected = "([{".charAt(")]}".indexOf(c));
                assertThat(open.length() > 0 && open.charAt(open.length() - 1) == expected)
                        .as("'%s' closes what it opened in panel '%s': %s", c, title, expr).isTrue();
                open.setLength(open.length() - 1);
            }
        }
        assertThat(open).as("unclosed brackets in panel '%s': %s", title, expr).isEmpty();
        assertThat(quoted).as("unclosed quote in panel '%s': %s", title, expr).isFalse();
    }

    /** Marks the panel's cells, failing when it leaves the 24-column grid or overlaps another panel. */
    private static void placeOnGrid(boolean[][] grid, JsonNode panel) {
        JsonNode pos = panel.path("gridPos");
        int x = pos.path("x").asInt(-1);
        int y = pos.path("y").asInt(-1);
        int w = pos.path("w").asInt(0);
        int h = pos.path("h").asInt(0);
        String title = panel.path("title").asText();
        assertThat(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= GRID_COLUMNS && y + h <= grid[0].length)
                .as("gridPos of panel '%s' fits the grid: %s", title, pos).isTrue();
        for (int col = x; col < x + w; col++) {
            for (int row = y; row < y + h; row++) {
                assertThat(grid[col][row]).as("panel '%s' overlaps another at x=%d y=%d", title, col, row)
                        .isFalse();
                grid[col][row] = true;
            }
        }
    }

    /** Every panel, rows' nested panels included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** The metric names in the panel queries and the template variable queries. */
    private static Set<String> metricNames(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            queries.add(variable.path("definition").asText());
            queries.add(variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText());
        }
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                names.add(m.group());
            }
        }
        assertThat(names).as("metric names found in the dashboard's queries").isNotEmpty();
        return names;
    }

    private static Set<String> inputReferences(JsonNode node) {
        Set<String> found = new TreeSet<>();
        if (node.isTextual()) {
            Matcher m = INPUT_REFERENCE.matcher(node.asText());
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        for (JsonNode child : node) {
            found.addAll(inputReferences(child));
        }
        return found;
    }

    private static JsonNode single(JsonNode array, String field, String value) {
        List<JsonNode> matches = new ArrayList<>();
        array.forEach(n -> {
            if (n.path(field).asText().equals(value)) {
                matches.add(n);
            }
        });
        assertThat(matches).as("entries with %s=%s", field, value).hasSize(1);
        return matches.get(0);
    }

    private static JsonNode readDashboard() throws IOException {
        assertThat(DASHBOARD).as("the dashboard file").isRegularFile();
        return JSON.readTree(Files.readString(DASHBOARD));
    }

    /** The courier-it module directory: failsafe's {@code basedir}, else the working directory. */
    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }
}
