package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.courier.broker.ReloadReport;
import io.courier.broker.config.BrokerConfig;
import io.courier.broker.security.AccessOperation;
import io.courier.broker.security.AccessRule;
import io.courier.broker.security.AccessRules;
import io.courier.broker.security.SecurityConfig;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.ConsumeOptions;
import io.courier.client.CurveCertificate;
import io.courier.client.EnqueueOptions;
import io.courier.client.Message;
import io.courier.client.QueueConsumer;
import io.courier.client.SubscribeOptions;
import io.courier.client.Subscription;
import io.courier.client.Worker;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Access control end to end, keys by operations: a CURVE broker with rules for three client keys, where every
 * allowed operation works and every denied one is refused at once (REFUSED, naming the operation) and delivers
 * nothing; plain ZeroMQ PUB and SUB sockets under the same rules; and rules changed by a live reload.
 *
 * <ul>
 *   <li>alice: call {@code billing.*}, publish {@code prices} and {@code public.}, produce {@code orders}</li>
 *   <li>bob: serve {@code billing.*}, subscribe {@code prices}, consume {@code orders}, admin {@code *}</li>
 *   <li>carol: no rule, so nothing (default deny once rules exist)</li>
 *   <li>every key ({@code *}, which plain SUB sockets are checked against): subscribe {@code public.}</li>
 * </ul>
 */
@Timeout(60)
class AccessControlIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestBroker broker;
    private BrokerConfig config;
    private CurveCertificate server;
    private final Map<String, CurveCertificate> certs = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        List<Path> serverFiles = CurveCertificate.generate("broker").writeTo(dir.resolve("keys"));
        server = CurveCertificate.load(serverFiles.get(0));
        Path allowlist = Files.createDirectories(dir.resolve("keys/clients"));
        for (String name : List.of("alice", "bob", "carol")) {
            List<Path> files = CurveCertificate.generate(name).writeTo(dir.resolve("clients"));
            Files.copy(files.get(0), allowlist.resolve(name + ".key"));
            certs.put(name, CurveCertificate.load(files.get(1)));
        }
        config = TestBroker.config(dir.resolve("data"))
                .withEndpoints(new BrokerConfig.Bind("tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
                        "127.0.0.1:0"))
                .withSecurity(new SecurityConfig(true, serverFiles.get(1), allowlist, List.of(), List.of())
                        .withRules(rules(List.of("billing.*"))));
        broker = TestBroker.start(config);
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(open);
        Collections.reverse(all);
        all.add(broker);
        Closeables.closeAll(all.toArray(AutoCloseable[]::new));
    }

    /** The rules of the class comment; {@code aliceCalls} is what alice may call. */
    private static AccessRules rules(List<String> aliceCalls) {
        return AccessRules.of(List.of(
                new AccessRule("alice", Map.of(AccessOperation.CALL, aliceCalls,
                        AccessOperation.PUBLISH, List.of("prices", "public."),
                        AccessOperation.PRODUCE, List.of("orders"))),
                new AccessRule("*", Map.of(AccessOperation.SUBSCRIBE, List.of("public."))),
                new AccessRule("bob", Map.of(AccessOperation.SERVE, List.of("billing.*"),
                        AccessOperation.SUBSCRIBE, List.of("prices"), AccessOperation.CONSUME, List.of("orders"),
                        AccessOperation.ADMIN, List.of("*")))));
    }

    private ClientConfig as(String name) {
        return broker.clientConfig().withCurve(server.publicKey(), certs.get(name));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void shouldCallOnlyWhatIsGrantedAndNeverReachTheWorker() throws Exception {
        AtomicInteger served = new AtomicInteger();
        track(Worker.start(as("bob"), "billing.pay", request -> {
            served.incrementAndGet();
            return request;
        }));
        broker.awaitWorkers(1);
        Client alice = track(Client.connect(as("alice")));
        Client carol = track(Client.connect(as("carol")));
        Client bob = track(Client.connect(as("bob")));

        assertThat(alice.request("billing.pay", Message.of("hi")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("hi");
        assertRefused(carol.request("billing.pay", Message.of("x")),
                "call service 'billing.pay' denied for key 'carol'");
        assertRefused(bob.request("billing.pay", Message.of("x")), "call service 'billing.pay' denied for key 'bob'");
        assertRefused(alice.request("payroll", Message.of("x")), "call service 'payroll' denied for key 'alice'");

        assertThat(served).as("denied requests never reach the worker").hasValue(1);
        assertThat(metric("courier_access_denied_total{operation=\"call\"}")).isEqualTo(3.0);
    }

    @Test
    void shouldRegisterOnlyGrantedWorkers() throws Exception {
        AtomicInteger carolServed = new AtomicInteger();
        track(Worker.start(as("carol"), "billing.pay", request -> {
            carolServed.incrementAndGet();
            return request;
        }));
        await("carol's READY refused").atMost(ofSeconds(10))
                .until(() -> metric("courier_access_denied_total{operation=\"serve\"}") >= 1);
        track(Worker.start(as("bob"), "billing.pay", request -> Message.of("bob")));
        broker.awaitWorkers(1);
        Client alice = track(Client.connect(as("alice")));

        for (int i = 0; i < 5; i++) {
            assertThat(alice.request("billing.pay", Message.of("x")).get(5, TimeUnit.SECONDS).bodyAsString())
                    .isEqualTo("bob");
        }
        assertThat(broker.workers()).isEqualTo(1);
        assertThat(carolServed).as("a refused worker gets no job").hasValue(0);
    }

    @Test
    void shouldPublishAndSubscribeOnlyWhatIsGranted() throws Exception {
        Client bob = track(Client.connect(as("bob")));
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Subscription sub = track(bob.subscribe("prices", SubscribeOptions.ofNow(), e -> seen.add(e.bodyAsString())));
        sub.awaitSubscribed(WAIT);
        Client alice = track(Client.connect(as("alice")));
        Client carol = track(Client.connect(as("carol")));

        assertRefused(carol.publish("prices.eur", Message.of("forged")), "publish topic 'prices.eur' denied");
        assertRefused(alice.publish("news", Message.of("x")), "publish topic 'news' denied for key 'alice'");
        alice.publish("prices.eur", Message.of("1.08")).get(5, TimeUnit.SECONDS);

        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("1.08");
        assertThat(seen).as("nothing denied was delivered").isEmpty();
        Subscription denied = track(carol.subscribe("prices", SubscribeOptions.ofFirst(), e -> seen.add("carol")));
        assertThatThrownBy(() -> denied.subscribed().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(CourierException.class).hasMessageContaining("subscribe topic 'prices' denied");
        Subscription wider = track(bob.subscribe("", SubscribeOptions.ofFirst(), e -> seen.add("wide")));
        assertThatThrownBy(() -> wider.subscribed().get(5, TimeUnit.SECONDS)).cause()
                .hasMessageContaining("subscribe topic '' denied for key 'bob'");
        assertThat(seen).isEmpty();
    }

    @Test
    void shouldProduceAndConsumeOnlyWhatIsGranted() throws Exception {
        Client alice = track(Client.connect(as("alice")));
        Client carol = track(Client.connect(as("carol")));
        Client bob = track(Client.connect(as("bob")));

        alice.enqueue("orders", Message.of("order-1"), EnqueueOptions.defaults()).get(5, TimeUnit.SECONDS);
        assertRefused(carol.enqueue("orders", Message.of("forged"), EnqueueOptions.defaults()),
                "produce queue 'orders' denied for key 'carol'");
        assertRefused(alice.enqueue("audit", Message.of("x"), EnqueueOptions.defaults()),
                "produce queue 'audit' denied for key 'alice'");
        QueueConsumer stolen = track(alice.consume("orders", ConsumeOptions.defaults(), d -> { }));
        assertThatThrownBy(() -> stolen.awaitConsuming(WAIT)).isInstanceOf(CourierException.class)
                .hasMessageContaining("consume queue 'orders' denied for key 'alice'");

        assertThat(bob.listQueue("orders", 10).get(5, TimeUnit.SECONDS)).as("only the allowed enqueue is queued")
                .hasSize(1);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        track(bob.consume("orders", ConsumeOptions.defaults(), d -> got.add(new String(d.body(), UTF_8))))
                .awaitConsuming(WAIT);
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("order-1");
        assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void shouldRefuseAdminCommandsWithoutTheGrant() throws Exception {
        Client alice = track(Client.connect(as("alice")));
        Client bob = track(Client.connect(as("bob")));

        assertThat(bob.status().get(5, TimeUnit.SECONDS)).contains("brokerId");
        assertRefused(alice.status(), "admin command 'status' denied for key 'alice'");
        assertRefused(alice.purgeQueue("orders"), "admin command 'orders' denied for key 'alice'");
        assertThat(metric("courier_access_denied_total{operation=\"admin\"}")).isEqualTo(2.0);
    }

    @Test
    void shouldApplyRulesToPlainPubAndSubSockets() throws Exception {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket bobSub = plain(ctx, SocketType.SUB, "bob", broker.broker().subscribeEndpoint());
            ZMQ.Socket carolSub = plain(ctx, SocketType.SUB, "carol", broker.broker().subscribeEndpoint());
            bobSub.subscribe("public.".getBytes(ZMQ.CHARSET));
            carolSub.subscribe("prices".getBytes(ZMQ.CHARSET));
            await("carol's subscription refused").atMost(ofSeconds(10))
                    .until(() -> metric("courier_access_denied_total{operation=\"subscribe\"}") >= 1);
            ZMQ.Socket carolPub = plain(ctx, SocketType.PUB, "carol", broker.broker().publishEndpoint());
            ZMQ.Socket alicePub = plain(ctx, SocketType.PUB, "alice", broker.broker().publishEndpoint());

            String received = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            bobSub.setReceiveTimeOut(100);
            while (received == null && System.nanoTime() < deadline) {   // PUB drops until connected: repeat
                carolPub.sendMore("public.news");
                carolPub.send("forged");
                alicePub.sendMore("prices.eur");
                alicePub.send("1.08");
                alicePub.sendMore("public.news");
                alicePub.send("real");
                if (bobSub.recvStr() != null) {
                    received = bobSub.recvStr();
                }
            }

            assertThat(received).isEqualTo("real");
            // carol's PUB may connect after alice's: keep sending until the broker has refused one of hers
            await("carol's plain publish refused and counted").atMost(ofSeconds(10)).pollInSameThread()
                    .until(() -> {
                        carolPub.sendMore("public.news");
                        carolPub.send("forged");
                        return metric("courier_access_denied_total{operation=\"publish\"}") >= 1;
                    });
            bobSub.setReceiveTimeOut(200);
            for (String topic; (topic = bobSub.recvStr()) != null; ) {
                assertThat(bobSub.recvStr()).as("topic %s", topic).isEqualTo("real");
            }
            carolSub.setReceiveTimeOut(200);
            assertThat(carolSub.recvStr()).as("a refused plain subscription receives nothing").isNull();
        }
    }

    @Test
    void shouldApplyReloadedRulesToTheNextOperation() throws Exception {
        track(Worker.start(as("bob"), "billing.pay", request -> request));
        track(Worker.start(as("bob"), "payroll", request -> request));
        await("bob's payroll READY refused").atMost(ofSeconds(10))
                .until(() -> metric("courier_access_denied_total{operation=\"serve\"}") >= 1);
        broker.awaitWorkers(1);
        Client alice = track(Client.connect(as("alice")));
        assertThat(alice.request("billing.pay", Message.of("a")).get(5, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo("a");

        ReloadReport report = broker.broker().reload(() -> config.withSecurity(config.security()
                .withRules(rules(List.of("payroll")))));

        assertThat(report.ok()).as("reload: %s", report).isTrue();
        assertThat(report.applied()).contains("security.rules.alice.call");
        assertRefused(alice.request("billing.pay", Message.of("b")), "call service 'billing.pay' denied");
        ReloadReport none = broker.broker().reload(() -> config.withSecurity(config.security()
                .withRules(AccessRules.none())));
        assertThat(none.ok()).isTrue();
        assertThat(alice.request("billing.pay", Message.of("c")).get(5, TimeUnit.SECONDS).bodyAsString())
                .as("no rules: everything allowed again").isEqualTo("c");
    }

    private ZMQ.Socket plain(ZContext ctx, SocketType type, String name, String endpoint) {
        ZMQ.Socket socket = ctx.createSocket(type);
        socket.setLinger(0);
        socket.setCurveServerKey(ZMQ.Curve.z85Decode(server.publicKey()));
        socket.setCurvePublicKey(ZMQ.Curve.z85Decode(certs.get(name).publicKey()));
        socket.setCurveSecretKey(ZMQ.Curve.z85Decode(certs.get(name).secretKey().orElseThrow()));
        socket.connect(endpoint);
        return socket;
    }

    private static void assertRefused(CompletableFuture<?> future, String why) {
        assertThatThrownBy(() -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CourierException.class)
                .hasMessageContaining(why).hasMessageContaining("code 403")
                .satisfies(e -> assertThat(((CourierException) e).reason()).isEqualTo(Reason.REFUSED));
    }

    private double metric(String series) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(broker.broker().httpEndpoint() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip())).orElse(0.0);
    }
}
