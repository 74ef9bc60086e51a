package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.protocol.Command;
import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.Wire;
import io.courier.protocol.codec.Batches;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.testkit.Closeables;
import io.courier.testkit.FakePeer;
import io.courier.testkit.TestBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMsg;

/**
 * BATCH (protocol 4.14) through a real broker: each message in a batch is handled as if it came alone, a malformed
 * one is counted without taking the others with it, answers go back packed only to a peer that said
 * {@code batch=1}, and Courier clients and workers use it end to end.
 */
@Timeout(20)
class BatchIT {
    private static final byte[] CRR1 = Wire.CRR1.getBytes(StandardCharsets.US_ASCII);
    private static final Duration WAIT = ofSeconds(5);

    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private final List<AutoCloseable> others = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = TestBroker.start(data);
        worker = Worker.start(broker.clientConfig(), "echo", request -> request);
        broker.awaitWorkers(1);
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(others);
        all.add(worker);
        all.add(broker);
        Closeables.closeAll(all.toArray(AutoCloseable[]::new));
    }

    @Test
    void shouldHandleEachMessageOfABatchAloneAndAnswerInBatches() {
        FakePeer peer = peer();
        peer.send(new Hello(Headers.of(Map.of("name", "batcher", Batches.PROPERTY, "1"))));
        peer.expectNative(NativeMessage.Welcome.class, WAIT);
        long malformedBefore = broker.malformedMessages();

        peer.send(batch(
                frames(new Request(1, "echo", 5_000, Headers.EMPTY, bytes("one"))),
                frames(new Hello(Headers.EMPTY)),                                          // travels alone only
                new byte[][] {CRR1, {Command.REQUEST.id()}, NativeCodec.u64(3), bytes("echo"), {0, 1}, {},
                        bytes("bad timeout")},                                             // malformed, id 3
                frames(new Request(4, "echo", 5_000, Headers.EMPTY, bytes("four")))));

        Map<Long, NativeMessage> answers = new HashMap<>();
        int batches = 0;
        while (answers.size() < 3) {
            ZMsg msg = peer.recvMatching(m -> !isHeartbeat(m), WAIT);
            assertThat(msg).as("answers so far: " + answers.keySet()).isNotNull();
            byte[][] frames = FakePeer.frames(msg);
            List<byte[][]> messages = Batches.isBatch(frames) ? Batches.unpack(frames) : List.<byte[][]>of(frames);
            batches += Batches.isBatch(frames) ? 1 : 0;
            for (byte[][] m : messages) {
                NativeMessage answer = NativeCodec.decode(m);
                answers.put(answer instanceof Reply r ? r.correlationId() : ((ErrorReply) answer).correlationId(),
                        answer);
            }
        }
        assertThat(batches).as("the broker answers a peer that takes BATCH with BATCH").isPositive();
        assertThat(((Reply) answers.get(1L)).body()).isEqualTo(bytes("one"));
        assertThat(((Reply) answers.get(4L)).body()).isEqualTo(bytes("four"));
        assertThat(((ErrorReply) answers.get(3L)).code()).isEqualTo(ErrorCode.PROTOCOL);
        await().atMost(WAIT).until(() -> broker.malformedMessages() >= malformedBefore + 2);
    }

    @Test
    void shouldDropABadlyPackedBatchWholeAndKeepServing() {
        FakePeer peer = peer();
        long malformedBefore = broker.malformedMessages();

        peer.send(CRR1, new byte[] {Command.BATCH.id()}, new byte[] {0, 2, 1, 0, 0, 0, 9, 3});   // length past end

        await().atMost(WAIT).until(() -> broker.malformedMessages() >= malformedBefore + 1);
        peer.send(batch(frames(new Request(5, "echo", 5_000, Headers.EMPTY, bytes("five")))));
        ZMsg msg = peer.recvMatching(m -> !isHeartbeat(m), WAIT);
        assertThat(msg).isNotNull();
        byte[][] frames = FakePeer.frames(msg);
        assertThat(Batches.isBatch(frames)).as("no batch=1 in a HELLO: answers travel alone").isFalse();
        assertThat(((Reply) NativeCodec.decode(frames)).body()).isEqualTo(bytes("five"));
    }

    @Test
    @Timeout(60)
    void shouldServeManyRequestsInFlightWithCourierPeersBatchingEveryHop() throws Exception {
        Client client = Client.connect(broker.clientConfig());
        others.add(client);
        List<CompletableFuture<Message>> replies = new ArrayList<>();
        // What this checks is that every reply comes back right through batches on every hop, not how fast: the
        // deadline leaves room for a loaded machine (the default 5 s was not always enough for 2,000 at once).
        RequestOptions patient = RequestOptions.of(ofSeconds(30), 0);
        for (int i = 0; i < 2_000; i++) {
            replies.add(client.request("echo", Message.of("m" + i), patient));
        }
        for (int i = 0; i < replies.size(); i++) {
            assertThat(replies.get(i).get(35, TimeUnit.SECONDS).bodyAsString()).isEqualTo("m" + i);
        }
        assertThat(broker.malformedMessages()).isZero();
    }

    private FakePeer peer() {
        FakePeer peer = FakePeer.connect(broker.endpoint());
        others.add(peer);
        return peer;
    }

    private static ZMsg batch(byte[][]... messages) {
        ZMsg msg = new ZMsg();
        msg.add(CRR1);
        msg.add(new byte[] {Command.BATCH.id()});
        int size = 2;
        for (byte[][] m : messages) {
            size += 1;
            for (int f = 1; f < m.length; f++) {
                size += 4 + m[f].length;
            }
        }
        ByteBuffer packed = ByteBuffer.allocate(size);
        packed.putShort((short) messages.length);
        for (byte[][] m : messages) {
            packed.put((byte) (m.length - 1));
            for (int f = 1; f < m.length; f++) {
                packed.putInt(m[f].length).put(m[f]);
            }
        }
        msg.add(packed.array());
        return msg;
    }

    private static byte[][] frames(NativeMessage message) {
        return NativeCodec.frames(NativeCodec.encode(message));
    }

    private static boolean isHeartbeat(ZMsg msg) {
        byte[][] frames = FakePeer.frames(msg);
        return frames.length >= 2 && frames[1].length == 1 && (frames[1][0] == Command.HEARTBEAT.id()
                || frames[1][0] == Command.WELCOME.id());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
