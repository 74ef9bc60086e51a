package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.Worker;
import io.courier.protocol.Command;
import io.courier.core.CourierException.Reason;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.Wire;
import io.courier.protocol.codec.NativeMessage.Disconnect;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.testkit.Closeables;
import io.courier.testkit.Failures;
import io.courier.testkit.FakePeer;
import io.courier.testkit.TestBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMsg;

/**
 * Hostile and broken peers: random bytes, wrong frame counts, unknown protocol ids and commands, oversize
 * messages. The broker counts them, answers what it can, and keeps serving well-behaved clients.
 */
@Timeout(15)
class MalformedFramesIT {
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final byte[] CRR1 = bytes(Wire.CRR1);
    private static final byte[] EMPTY = new byte[0];

    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;
    private final List<FakePeer> peers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        BrokerConfig config = TestBroker.config(data);
        broker = TestBroker.start(config.withLimits(new BrokerConfig.Limits(MAX_MESSAGE_BYTES,
                config.limits().maxFrames())));
        worker = Worker.start(broker.clientConfig(), "echo", request -> request);
        client = Client.connect(broker.clientConfig());
        assertEcho("warm up");
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(peers);
        all.add(client);
        all.add(worker);
        all.add(broker);
        Closeables.closeAll(all.toArray(AutoCloseable[]::new));
    }

    @Test
    void shouldKeepServingGoodClientWhileSeveralPeersSendGarbage() throws Exception {
        Random random = new Random(42);
        List<byte[][]> garbage = new ArrayList<>();
        garbage.add(new byte[][] {randomBytes(random, 1)});
        garbage.add(new byte[][] {randomBytes(random, 100), randomBytes(random, 7)});
        garbage.add(new byte[][] {EMPTY});
        garbage.add(new byte[][] {bytes("XYZ9"), new byte[] {Command.REQUEST.id()}});          // unknown protocol
        garbage.add(new byte[][] {CRR1, new byte[] {0x7F}});                                    // unknown command
        garbage.add(new byte[][] {CRR1, new byte[] {Command.REQUEST.id(), 0x00}});               // 2-byte command
        garbage.add(new byte[][] {CRR1, new byte[] {Command.REQUEST.id()}, u64(1)});             // too few frames
        garbage.add(new byte[][] {CRR1, new byte[] {Command.HEARTBEAT.id()}, EMPTY, EMPTY});     // too many
        garbage.add(new byte[][] {CRR1, new byte[] {Command.READY.id()}, bytes("x"), new byte[] {1}, EMPTY});
        garbage.add(new byte[][] {EMPTY, bytes(Wire.MDP01_CLIENT)});                             // no service
        garbage.add(new byte[][] {EMPTY, bytes(Wire.MDP01_WORKER), new byte[] {0x09}});          // bad command
        garbage.add(new byte[][] {EMPTY, bytes("MDPX99"), bytes("echo"), bytes("body")});        // unknown MDP
        garbage.add(new byte[][] {bytes(Wire.MDP02_CLIENT), new byte[] {0x07}, bytes("echo")});  // bad 0.2 cmd
        garbage.add(manyFrames(broker.config().limits().maxFrames() + 10));
        garbage.add(new byte[][] {CRR1, new byte[] {Command.HEARTBEAT.id()}, new byte[MAX_MESSAGE_BYTES + 1]});
        for (int p = 0; p < 4; p++) {
            peers.add(FakePeer.connect(broker.endpoint()));
        }

        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < garbage.size(); i++) {
                peers.get(i % peers.size()).send(garbage.get(i));
            }
            assertEcho("round " + round);
        }

        int sent = 3 * garbage.size();
        await("broker counted the malformed messages").atMost(ofSeconds(3))
                .until(() -> broker.malformedMessages() >= sent);
        assertEcho("after all the garbage");
    }

    @Test
    void shouldAnswerProtocolErrorToNativeRequestWithReadableCorrelationId() {
        FakePeer peer = peer();

        peer.send(CRR1, new byte[] {Command.REQUEST.id()}, u64(77), bytes("echo"), new byte[] {0, 1},
                EMPTY, bytes("body"));   // the timeout field is 2 bytes instead of 4

        ErrorReply error = peer.expectNative(ErrorReply.class, ofSeconds(3));
        assertThat(error.correlationId()).isEqualTo(77);
        assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL);
        await().atMost(ofSeconds(3)).until(() -> broker.malformedMessages() >= 1);
    }

    @Test
    void shouldAnswerTooLargeToOversizeNativeRequest() {
        FakePeer peer = peer();

        peer.send(new Request(78, "echo", 5_000, Headers.EMPTY, new byte[MAX_MESSAGE_BYTES + 1]));

        ErrorReply error = peer.expectNative(ErrorReply.class, ofSeconds(3));
        assertThat(error.correlationId()).isEqualTo(78);
        assertThat(error.code()).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void shouldRefuseOversizeRequestFromClientWithoutSendingIt() throws Exception {
        byte[] body = new byte[MAX_MESSAGE_BYTES + 1];

        var failure = Failures.courierFailure(client.request("echo", body), ofSeconds(3));

        assertThat(failure.reason()).isEqualTo(Reason.TOO_LARGE);
        assertEcho("still fine");
    }

    @Test
    void shouldDisconnectMdpWorkerThatBreaksTheProtocol() {
        FakePeer mdpWorker = peer();
        mdpWorker.send(EMPTY, bytes(Wire.MDP01_WORKER), new byte[] {Wire.MDP01_READY}, bytes("mdp-echo"));
        broker.awaitWorkers(2);

        mdpWorker.send(EMPTY, bytes(Wire.MDP01_WORKER), new byte[] {0x09}, bytes("nonsense"));

        ZMsg disconnect = mdpWorker.recvMatching(msg -> isMdpWorkerCommand(msg, Wire.MDP01_DISCONNECT), ofSeconds(3));
        assertThat(disconnect).as("DISCONNECT sent to the MDP worker").isNotNull();
        broker.awaitWorkers(1);
    }

    @Test
    void shouldDisconnectNativePeerThatSendsDoneAsUnknownWorker() {
        FakePeer stranger = peer();

        stranger.send(new Done(12345, Headers.EMPTY, bytes("nobody asked")));

        Disconnect disconnect = stranger.expectNative(Disconnect.class, ofSeconds(3));
        assertThat(disconnect.reason()).contains("unknown worker");
    }

    private FakePeer peer() {
        FakePeer peer = FakePeer.connect(broker.endpoint());
        peers.add(peer);
        return peer;
    }

    private void assertEcho(String body) throws Exception {
        assertThat(client.request("echo", Message.of(body)).get(5, TimeUnit.SECONDS).bodyAsString()).isEqualTo(body);
    }

    private static boolean isMdpWorkerCommand(ZMsg msg, byte command) {
        byte[][] frames = FakePeer.frames(msg);
        return frames.length >= 3 && frames[0].length == 0 && new String(frames[1], StandardCharsets.US_ASCII)
                .equals(Wire.MDP01_WORKER) && frames[2].length == 1 && frames[2][0] == command;
    }

    private static byte[][] manyFrames(int count) {
        byte[][] frames = new byte[count][];
        frames[0] = CRR1;
        frames[1] = new byte[] {Command.HEARTBEAT.id()};
        for (int i = 2; i < count; i++) {
            frames[i] = EMPTY;
        }
        return frames;
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] u64(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
