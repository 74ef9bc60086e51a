package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.broker.security.SecurityConfig;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.CurveCertificate;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import io.courier.testkit.PyProcess;
import io.courier.testkit.PyZmq;
import io.courier.testkit.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CURVE security end to end: a broker with CURVE on every endpoint and ZAP against an allowlist directory; Courier
 * clients and workers with and without an allowed key, a wrong server key, no CURVE at all; the allowlist changed
 * while running; an address filter; and pyzmq (libzmq) CURVE clients.
 */
@Timeout(30)
class CurveSecurityIT {
    /** Far below the request timeout (5s): a refusal must not wait for it. */
    private static final Duration FAST = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestBroker broker;
    private CurveCertificate server;
    private Path allowlist;

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(open);
        Collections.reverse(all);
        all.add(broker);
        Closeables.closeAll(all.toArray(AutoCloseable[]::new));
    }

    private void startBroker(List<String> ipDeny) throws Exception {
        List<Path> serverFiles = CurveCertificate.generate("broker").writeTo(dir.resolve("keys"));
        server = CurveCertificate.load(serverFiles.get(0));
        allowlist = Files.createDirectories(dir.resolve("keys/clients"));
        BrokerConfig config = TestBroker.config(dir.resolve("data"))
                .withEndpoints(new BrokerConfig.Bind("tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
                        "127.0.0.1:0"))
                .withSecurity(new SecurityConfig(true, serverFiles.get(1), allowlist, List.of(), ipDeny));
        broker = TestBroker.start(config);
    }

    /** A new client certificate; its public file copied into the allowlist when {@code allowed}. */
    private CurveCertificate client(String name, boolean allowed) throws Exception {
        List<Path> files = CurveCertificate.generate(name).writeTo(dir.resolve("clients"));
        if (allowed) {
            Files.copy(files.get(0), allowlist.resolve(name + ".key"));
        }
        return CurveCertificate.load(files.get(1));
    }

    private ClientConfig curveConfig(CurveCertificate cert) {
        return broker.clientConfig().withCurve(server.publicKey(), cert);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void shouldServeAnAllowedClientThroughAnAllowedWorker() throws Exception {
        startBroker(List.of());
        track(Worker.start(curveConfig(client("svc", true)), "echo", request -> request));
        broker.awaitWorkers(1);
        Client alice = track(Client.connect(curveConfig(client("alice", true))));

        Message reply = alice.request("echo", Message.of("hello")).get(5, TimeUnit.SECONDS);

        assertThat(reply.bodyAsString()).isEqualTo("hello");
    }

    @Test
    void shouldRefuseAnUnknownKeyFastAndCountIt() throws Exception {
        startBroker(List.of());
        Client mallory = track(Client.connect(curveConfig(client("mallory", false))));

        assertRefused(mallory, "authentication failed");
        assertThat(metric("courier_auth_failures_total{reason=\"unknown_key\"}")).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> mallory.request("echo", Message.of("again")).get(1, TimeUnit.SECONDS))
                .as("new requests fail at once while refused").hasCauseInstanceOf(CourierException.class);
    }

    @Test
    void shouldFailFastWithAWrongServerKey() throws Exception {
        startBroker(List.of());
        CurveCertificate impostor = CurveCertificate.generate("impostor");
        Client alice = track(Client.connect(broker.clientConfig().withCurve(impostor.publicKey(),
                client("alice", true))));

        assertRefused(alice, "CURVE handshake failed");
    }

    @Test
    void shouldRefuseAPlainClient() throws Exception {
        startBroker(List.of());
        Client plain = track(Client.connect(broker.clientConfig()));

        assertRefused(plain, "requires CURVE");
    }

    /**
     * A plain client whose liveness window ends before ZeroMQ reconnects: each of its sockets sees one early
     * disconnect, never two. The mismatches still add up across sockets (on a loaded machine this is how it goes),
     * so it learns it was refused instead of waiting for every request's deadline.
     */
    @Test
    void shouldRefuseAPlainClientThatSeesOneMismatchPerSocket() throws Exception {
        startBroker(List.of());
        Client plain = track(Client.connect(broker.clientConfig().withHeartbeat(Duration.ofMillis(60), 2)
                .withReconnect(Duration.ofMillis(300), Duration.ofMillis(300))));

        assertRefused(plain, "requires CURVE");
    }

    @Test
    void shouldApplyAllowlistChangesWithoutRestart() throws Exception {
        startBroker(List.of());
        CurveCertificate late = client("late", false);
        assertRefused(track(Client.connect(curveConfig(late))), "authentication failed");

        Files.copy(dir.resolve("clients/late.key"), allowlist.resolve("late.key"));
        await("a client with the added key gets in").atMost(ofSeconds(10)).until(() -> answers(late));

        Files.delete(allowlist.resolve("late.key"));
        await("a client with the removed key is refused").atMost(ofSeconds(10)).until(() -> refused(late));
    }

    @Test
    void shouldRefuseADeniedAddressEvenWithAnAllowedKey() throws Exception {
        startBroker(List.of("127.0.0.0/8"));
        Client alice = track(Client.connect(curveConfig(client("alice", true))));

        assertRefused(alice, "authentication failed");
        assertThat(metric("courier_auth_failures_total{reason=\"ip_denied\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldAcceptAndRefusePyzmqCurveClients() throws Exception {
        PyZmq.assumeAvailable();
        startBroker(List.of());
        track(Worker.start(curveConfig(client("svc", true)), "echo", request -> request));
        broker.awaitWorkers(1);
        client("py-allowed", true);
        client("py-unknown", false);

        PyProcess allowed = py("--server-key", server.publicKey(), "--cert",
                dir.resolve("clients/py-allowed.key_secret").toString());
        PyProcess unknown = py("--server-key", server.publicKey(), "--cert",
                dir.resolve("clients/py-unknown.key_secret").toString());
        PyProcess plain = py("--timeout-ms", "1500");

        assertThat(allowed.awaitExit(ofSeconds(10))).as("allowed; output:%n%s", allowed.output()).isZero();
        assertThat(allowed.output()).contains("reply: from-python");
        assertThat(unknown.awaitExit(ofSeconds(10))).as("unknown key; output:%n%s", unknown.output()).isEqualTo(4);
        assertThat(plain.awaitExit(ofSeconds(10))).as("no CURVE; output:%n%s", plain.output()).isIn(3, 4);
    }

    private PyProcess py(String... options) {
        List<String> args = new ArrayList<>(List.of(broker.endpoint(), "echo", "from-python"));
        args.addAll(List.of(options));
        return track(PyZmq.run("pyzmq/curve_client.py", args.toArray(String[]::new)));
    }

    private static void assertRefused(Client client, String why) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.request("echo", Message.of("x")).get(FAST.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CourierException.class)
                .hasMessageContaining("refused by the broker at tcp://127.0.0.1:").hasMessageContaining(why)
                .satisfies(e -> assertThat(((CourierException) e).reason()).isEqualTo(Reason.REFUSED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
    }

    private boolean answers(CurveCertificate cert) {
        try (Client c = Client.connect(curveConfig(cert))) {
            c.status().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean refused(CurveCertificate cert) {
        try (Client c = Client.connect(curveConfig(cert))) {
            c.status().get(3, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof CourierException c && c.reason() == Reason.REFUSED;
        } catch (Exception e) {
            return false;
        }
    }

    private double metric(String series) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(broker.broker().httpEndpoint() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip())).orElse(0.0);
    }
}
