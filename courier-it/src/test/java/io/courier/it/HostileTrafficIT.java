package io.courier.it;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.broker.config.BrokerConfig;
import io.courier.client.Client;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.protocol.Command;
import io.courier.protocol.Headers;
import io.courier.protocol.Wire;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.testkit.Closeables;
import io.courier.testkit.FakePeer;
import io.courier.testkit.TestBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * Many hostile connections at once, for a few seconds: DEALERs sending random frames, wrong protocol ids,
 * truncated and mutated native commands, headers that are not UTF-8, oversize messages and huge frame counts,
 * reconnecting all the while; plain PUBs flooding the publish endpoint; raw TCP sockets that never speak ZMTP.
 * Meanwhile a well-behaved client keeps calling a worker. Every call must succeed within its deadline, the broker
 * must count the garbage, forget the peers that sent it, and keep its heap bounded.
 */
@Timeout(60)
class HostileTrafficIT {
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int HOSTILE_DEALERS = 20;
    private static final int HOSTILE_PUBLISHERS = 4;
    private static final Duration ATTACK = Duration.ofSeconds(4);
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /**
     * Each attacker sends about 50 messages a second (1,200 a second in all). The attackers share two CPU cores
     * with the broker here, and the test broker expires a peer after 500ms of silence: at a few times this rate
     * the good client's and the worker's heartbeats start to starve (docs/protocol.md, Robustness).
     */
    private static final long PACING_NANOS = 20_000_000;
    private static final int MAX_FRAME_COUNT = 1_000;
    private static final long HEAP_GROWTH_BOUND = 256L << 20;
    private static final byte[] CRR1 = Wire.CRR1.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    @TempDir
    Path data;
    private TestBroker broker;
    private Worker worker;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        BrokerConfig config = TestBroker.config(data);
        broker = TestBroker.start(config.withLimits(new BrokerConfig.Limits(MAX_MESSAGE_BYTES,
                config.limits().maxFrames())));
        worker = Worker.start(broker.clientConfig(), "echo", request -> request);
        client = Client.connect(broker.clientConfig());
        echo("warm up");
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(client, worker, broker);
    }

    @Test
    void shouldKeepServingWellBehavedClientWhileManyPeersSendGarbage() throws Exception {
        long malformedBefore = broker.malformedMessages();
        long heapBefore = usedHeapAfterGc();
        long attackEnd = System.nanoTime() + ATTACK.toNanos();
        AtomicLong garbageSent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(HOSTILE_DEALERS + HOSTILE_PUBLISHERS + 2);
        List<Future<?>> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTILE_DEALERS; i++) {
                long seed = i;
                attackers.add(pool.submit(() -> dealerAttack(broker.endpoint(), new Random(seed), attackEnd,
                        garbageSent)));
            }
            for (int i = 0; i < HOSTILE_PUBLISHERS; i++) {
                long seed = 1_000 + i;
                attackers.add(pool.submit(() -> publisherAttack(new Random(seed), attackEnd)));
            }
            attackers.add(pool.submit(() -> rawTcpAttack(broker.endpoint(), new Random(7), attackEnd)));
            attackers.add(pool.submit(() -> rawTcpAttack(broker.broker().publishEndpoint(), new Random(8),
                    attackEnd)));

            int answered = 0;
            while (System.nanoTime() < attackEnd) {   // each call fails the test if it is not answered in time
                echo("call " + answered);
                answered++;
            }
            for (Future<?> attacker : attackers) {
                attacker.get(10, TimeUnit.SECONDS);
            }
            assertThat(answered).as("calls answered during the attack").isGreaterThanOrEqualTo(10);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("attackers stopped").isTrue();
        }

        assertThat(garbageSent.get()).as("malformed messages queued by the attackers").isGreaterThan(1_000);
        await("broker counted the garbage").atMost(ofSeconds(5))
                .until(() -> broker.malformedMessages() - malformedBefore >= 500);
        await("broker forgot every hostile peer").atMost(ofSeconds(5))
                .until(() -> broker.broker().stats().connections() == 2);   // the client and the worker
        assertThat(broker.workers()).as("only the real worker is registered").isEqualTo(1);
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth after the attack, bytes")
                .isLessThan(HEAP_GROWTH_BOUND);
        echo("after the attack");
    }

    /** One hostile DEALER after another (each a new peer), sending garbage, paced. */
    private static Void dealerAttack(String endpoint, Random random, long end, AtomicLong garbageSent) {
        try (ZContext ctx = new ZContext(1)) {
            while (System.nanoTime() < end) {
                ZMQ.Socket socket = ctx.createSocket(SocketType.DEALER);
                socket.setLinger(0);
                socket.setSndHWM(1_000);
                socket.connect(endpoint);
                if (random.nextBoolean()) {   // a peer the broker tracks, then turns hostile
                    send(socket, frames(NativeCodec.encode(new Hello(Headers.of(Map.of("name", "hostile"))))));
                }
                for (int n = 0; n < 50 && System.nanoTime() < end; n++) {
                    if (send(socket, garbage(random))) {
                        garbageSent.incrementAndGet();
                    }
                    LockSupport.parkNanos(PACING_NANOS);   // pacing, not waiting for a condition
                }
                socket.close();
            }
        }
        return null;
    }

    /** One malformed message: the broker must count it and drop it (or answer ERROR or DISCONNECT). */
    static byte[][] garbage(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> randomFrames(random, 1 + random.nextInt(8));
            case 1 -> new byte[][] {bytes(random.nextBoolean() ? "CRR2" : "MDPC03"), randomBytes(random, 9)};
            case 2 -> truncated(random, frames(NativeCodec.encode(new Request(random.nextLong(), "echo", 1_000,
                    Headers.EMPTY, randomBytes(random, 32)))));
            case 3 -> new byte[][] {CRR1, new byte[] {(byte) (0x60 + random.nextInt(0x9F))}, randomBytes(random, 8)};
            case 4 -> random.nextInt(10) == 0   // oversize: over limits.maxMessageBytes
                    ? new byte[][] {CRR1, new byte[] {Command.HEARTBEAT.id()}, new byte[MAX_MESSAGE_BYTES + 1]}
                    : new byte[][] {CRR1, new byte[] {Command.STATUS.id()}, randomBytes(random, 3)};
            case 5 -> random.nextInt(10) == 0   // a huge frame count: over limits.maxFrames
                    ? manyFrames(65 + random.nextInt(MAX_FRAME_COUNT))
                    : new byte[][] {CRR1, new byte[] {Command.HEARTBEAT.id()}, EMPTY};
            case 6 -> new byte[][] {EMPTY, bytes(Wire.MDP01_WORKER), new byte[] {0x09}, randomBytes(random, 4)};
            case 7 -> frames(NativeCodec.encode(new Done(random.nextLong(), Headers.EMPTY, EMPTY)));
            case 8 -> notUtf8Headers(random);
            default -> new byte[][] {bytes(Wire.MDP02_CLIENT), new byte[] {0x07}, bytes("echo")};
        };
    }

    /** A REQUEST whose headers frame is well formed but whose key is not UTF-8: rejected with ERROR 400. */
    private static byte[][] notUtf8Headers(Random random) {
        byte[] headers = new byte[3 + 200];
        headers[0] = (byte) 200;
        Arrays.fill(headers, 1, 201, (byte) 0xFF);
        return new byte[][] {CRR1, new byte[] {Command.REQUEST.id()}, NativeCodec.u64(random.nextLong()),
            bytes("echo"), new byte[4], headers, EMPTY};
    }

    /** Plain PUB sockets on the publish endpoint: random topics (a bounded set) and random frames. */
    private Void publisherAttack(Random random, long end) {
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket pub = ctx.createSocket(SocketType.PUB);
            pub.setLinger(0);
            pub.connect(broker.broker().publishEndpoint());
            while (System.nanoTime() < end) {
                byte[][] frames = randomFrames(random, 1 + random.nextInt(random.nextInt(20) == 0 ? 200 : 4));
                frames[0] = bytes("hostile." + random.nextInt(200));
                send(pub, frames);
                LockSupport.parkNanos(PACING_NANOS);
            }
        }
        return null;
    }

    /** Raw TCP connections that send random bytes instead of a ZMTP greeting, again and again. */
    private static Void rawTcpAttack(String endpoint, Random random, long end) {
        URI uri = URI.create(endpoint);
        while (System.nanoTime() < end) {
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.setSoLinger(true, 0);
                OutputStream out = socket.getOutputStream();
                out.write(randomBytes(random, 1 + random.nextInt(2_000)));
                out.flush();
            } catch (IOException e) {
                // the broker hung up on the garbage: what it should do
            }
            LockSupport.parkNanos(5_000_000);
        }
        return null;
    }

    private void echo(String body) throws Exception {
        Message reply = client.request("echo", Message.of(body), RequestOptions.of(DEADLINE, 0))
                .get(DEADLINE.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        assertThat(reply.bodyAsString()).isEqualTo(body);
    }

    private static boolean send(ZMQ.Socket socket, byte[][] frames) {
        for (int i = 0; i < frames.length; i++) {
            boolean more = i + 1 < frames.length;
            if (!socket.send(frames[i], more ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT)) {
                return false;   // only the first frame can fail: a multipart message is queued whole
            }
        }
        return true;
    }

    private static byte[][] truncated(Random random, byte[][] valid) {
        if (random.nextBoolean()) {
            return Arrays.copyOf(valid, 2 + random.nextInt(valid.length - 2));
        }
        byte[][] out = valid.clone();
        int i = 2 + random.nextInt(out.length - 2);
        out[i] = Arrays.copyOf(out[i], Math.max(0, out[i].length - 1 - random.nextInt(4)));
        return out;
    }

    private static byte[][] manyFrames(int count) {
        byte[][] frames = new byte[count][];
        Arrays.fill(frames, EMPTY);
        frames[0] = CRR1;
        frames[1] = new byte[] {Command.HEARTBEAT.id()};
        return frames;
    }

    private static byte[][] randomFrames(Random random, int count) {
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            frames[i] = randomBytes(random, random.nextInt(20) == 0 ? random.nextInt(4_096) : random.nextInt(16));
        }
        return frames;
    }

    private static byte[][] frames(ZMsg msg) {
        return FakePeer.frames(msg);
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Heap in use after a full collection: what the broker (and this test) really hold. */
    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
