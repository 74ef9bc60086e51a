package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.courier.protocol.Headers;
import io.courier.protocol.codec.NativeCodec;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Hello;
import io.courier.protocol.codec.NativeMessage.Welcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/** The fake peer against a bare ROUTER that this test drives by hand. */
@Timeout(10)
class FakePeerTest {
    private ZContext ctx;
    private ZMQ.Socket router;
    private FakePeer peer;

    @BeforeEach
    void start() {
        ctx = new ZContext(1);
        router = ctx.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setReceiveTimeOut(2_000);
        router.bind("tcp://127.0.0.1:*");
        peer = FakePeer.connect(router.getLastEndpoint());
    }

    @AfterEach
    void stop() {
        Closeables.closeAll(peer, ctx::close);
    }

    @Test
    void shouldSendRawFramesAndReceiveAnswers() {
        peer.send(new byte[] {1, 2, 3}, new byte[0]);

        ZMsg got = ZMsg.recvMsg(router);
        assertThat(got).isNotNull();
        ZFrame routingId = got.pop();
        assertThat(FakePeer.frames(got)).isDeepEqualTo(new byte[][] {{1, 2, 3}, {}});

        ZMsg answer = NativeCodec.encode(new Welcome(Headers.of(Map.of("broker-id", "b1"))));
        answer.push(routingId);
        answer.send(router);
        Welcome welcome = peer.expectNative(Welcome.class, Duration.ofSeconds(2));
        assertThat(welcome.properties().get("broker-id")).isEqualTo("b1");
    }

    @Test
    void shouldReturnNullWhenNothingArrivesInTime() {
        long start = System.nanoTime();

        assertThat(peer.recv(Duration.ofMillis(100))).isNull();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(90L, 2_000L);
        assertThat(catchThrowable(() -> peer.expect(Duration.ofMillis(50)))).isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldHeartbeatWhileWaiting() {
        peer.heartbeatEvery(Duration.ofMillis(20), new Heartbeat()).send(new Hello(Headers.EMPTY));

        peer.recv(Duration.ofMillis(200));

        int heartbeats = 0;
        for (int i = 0; i < 20 && heartbeats < 2; i++) {
            ZMsg msg = ZMsg.recvMsg(router);   // the router's receive timeout bounds each wait
            assertThat(msg).as("message %d from the peer", i).isNotNull();
            msg.pop();
            if (FakePeer.decode(msg) instanceof Heartbeat) {
                heartbeats++;
            }
        }
        assertThat(heartbeats).isEqualTo(2);
    }

    @Test
    void shouldRefuseUseFromAnotherThread() throws Exception {
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(
                () -> catchThrowable(() -> peer.sendText("hello")));

        assertThat(failure.get(2, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }
}
