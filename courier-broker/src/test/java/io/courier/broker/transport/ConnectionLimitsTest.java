package io.courier.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.Broker;
import io.courier.broker.ReloadReport;
import io.courier.broker.config.BrokerConfig;
import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * {@code limits.maxConnections} and {@code limits.handshakeTimeout} against a real broker on loopback, with raw
 * native DEALER peers (to see the broker's DISCONNECT frame itself) and a raw TCP socket.
 */
@Timeout(30)
class ConnectionLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path data;
    private final ZContext peers = new ZContext(1);
    private Broker broker;

    @AfterEach
    void stop() {
        peers.close();   // reverse start order: the peers, then the broker
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRefuseAPeerPastMaxConnectionsUntilOneLeaves() throws Exception {
        broker = start(BrokerConfig.Limits.defaults().withMaxConnections(2));
        ZMQ.Socket first = hello();
        ZMQ.Socket second = hello();
        await("two peers tracked").atMost(WAIT).until(() -> broker.stats().connections() == 2);

        ZMQ.Socket third = dealer();
        send(third, new Request(7, "echo", 5_000, Headers.EMPTY, "hi".getBytes(UTF_8)));
        Disconnect refusedRequest = expect(third, Command.DISCONNECT);
        send(third, new Hello(Headers.of(Map.of("name", "third"))));
        Disconnect refusedHello = expect(third, Command.DISCONNECT);

        assertThat(refusedRequest.reason()).isEqualTo("too many connections (limits.maxConnections=2)");
        assertThat(refusedHello.reason()).isEqualTo("too many connections (limits.maxConnections=2)");
        assertThat(broker.stats().connections()).isEqualTo(2);
        assertThat(broker.stats().requests()).as("the refused request was not taken").isZero();
        assertThat(metrics()).contains("courier_connections_refused_total 2.0");
        expect(first, Command.STATUS_REPLY, new Status(1));
        expect(second, Command.STATUS_REPLY, new Status(2));

        send(first, new Disconnect("bye"));
        await("the first peer forgotten").atMost(WAIT).until(() -> broker.stats().connections() == 1);
        send(third, new Hello(Headers.of(Map.of("name", "third"))));
        expect(third, Command.WELCOME);
        assertThat(broker.stats().connections()).isEqualTo(2);
    }

    @Test
    void shouldApplyALowerMaxConnectionsOnReloadKeepingThePeersThere() throws Exception {
        broker = start(BrokerConfig.Limits.defaults().withMaxConnections(3));
        ZMQ.Socket first = hello();
        ZMQ.Socket second = hello();
        BrokerConfig before = broker.config();

        ReloadReport report = broker.reload(() -> before.withLimits(before.limits().withMaxConnections(1)
                .withHandshakeTimeout(Duration.ofSeconds(9))));

        assertThat(report.error()).isNull();
        assertThat(report.applied()).containsExactly("limits.maxConnections");
        assertThat(report.needsRestart()).containsExactly("limits.handshakeTimeout");
        assertThat(broker.config().limits().maxConnections()).isEqualTo(1);
        assertThat(broker.config().limits().handshakeTimeout()).as("as bound").isEqualTo(Duration.ofSeconds(5));
        expect(first, Command.STATUS_REPLY, new Status(1));
        expect(second, Command.STATUS_REPLY, new Status(2));
        ZMQ.Socket third = dealer();
        send(third, new Hello(Headers.EMPTY));
        assertThat(((Disconnect) expect(third, Command.DISCONNECT)).reason())
                .isEqualTo("too many connections (limits.maxConnections=1)");
        assertThat(broker.stats().connections()).isEqualTo(2);
    }

    @Test
    void shouldCloseAConnectionThatDoesNotFinishTheHandshake() throws Exception {
        broker = start(BrokerConfig.Limits.defaults().withHandshakeTimeout(Duration.ofMillis(300)));
        List<Socket> silent = new ArrayList<>();
        try {
            for (String endpoint : List.of(broker.frontendEndpoint(), broker.publishEndpoint(),
                    broker.subscribeEndpoint())) {
                int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
                silent.add(new Socket("127.0.0.1", port));   // says nothing, not even the ZMTP greeting
            }
            long deadline = System.nanoTime() + WAIT.toNanos();   // the default (JeroMQ's 30s) would not close
            for (Socket socket : silent) {
                assertThat(readsToEnd(socket, deadline)).as("closed by the broker within " + WAIT).isTrue();
            }
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    private Broker start(BrokerConfig.Limits limits) {
        BrokerConfig config = BrokerConfig.ephemeral(data)
                .withEndpoints(new BrokerConfig.Bind("tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
                        "127.0.0.1:0"))
                .withHeartbeat(new BrokerConfig.Heartbeat(Duration.ofSeconds(1), 10))   // raw peers do not beat
                .withLimits(limits);
        return Broker.start(config);
    }

    /** Reads what the broker sends (its greeting) until the end of the stream; false when time runs out first. */
    private static boolean readsToEnd(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true;   // reset by the broker: closed too
            }
        }
    }

    private ZMQ.Socket dealer() {
        ZMQ.Socket socket = peers.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setHandshakeIvl(500);   // as QueuePeer: a stalled handshake is retried soon, not after 30s
        socket.connect(broker.frontendEndpoint());
        return socket;
    }

    private ZMQ.Socket hello() {
        ZMQ.Socket socket = dealer();
        send(socket, new Hello(Headers.EMPTY));
        expect(socket, Command.WELCOME);
        return socket;
    }

    private static void send(ZMQ.Socket socket, NativeMessage message) {
        NativeCodec.encode(message).send(socket);
    }

    /** Sends {@code message}, then expects an answer of {@code command}. */
    private static NativeMessage expect(ZMQ.Socket socket, Command command, NativeMessage message) {
        send(socket, message);
        return expect(socket, command);
    }

    /** The next message but heartbeats, which must be of {@code command}, within {@link #WAIT}. */
    @SuppressWarnings("unchecked")
    private static <T extends NativeMessage> T expect(ZMQ.Socket socket, Command command) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("no " + command + " within " + WAIT);
            }
            socket.setReceiveTimeOut((int) left);
            ZMsg msg = ZMsg.recvMsg(socket);
            if (msg == null) {
                continue;
            }
            byte[][] frames = new byte[msg.size()][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = msg.pop().getData();
            }
            NativeMessage m = NativeCodec.decode(frames);
            if (m.command() == command) {
                return (T) m;
            }
            assertThat(m.command()).as("the answer").isEqualTo(Command.HEARTBEAT);
        }
    }

    private String metrics() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.httpEndpoint() + "/metrics")).timeout(WAIT)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
