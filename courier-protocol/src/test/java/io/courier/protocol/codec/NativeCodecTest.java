package io.courier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Headers;
import io.courier.protocol.ProtocolException;
import io.courier.protocol.codec.NativeMessage.Done;
import io.courier.protocol.codec.NativeMessage.ErrorReply;
import io.courier.protocol.codec.NativeMessage.Heartbeat;
import io.courier.protocol.codec.NativeMessage.Job;
import io.courier.protocol.codec.NativeMessage.Ready;
import io.courier.protocol.codec.NativeMessage.Reply;
import io.courier.protocol.codec.NativeMessage.Request;
import io.courier.protocol.codec.NativeMessage.StatusReply;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMsg;

@Timeout(10)
class NativeCodecTest {
    private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);
    private static final Headers HEADERS = Headers.of(Map.of(Headers.TRACEPARENT, "00-abc-def-01"));

    @Test
    void shouldRoundTripRequest() {
        Request decoded = (Request) roundTrip(new Request(Long.MAX_VALUE, "echo", 2500, HEADERS, BODY));
        assertThat(decoded.correlationId()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.service()).isEqualTo("echo");
        assertThat(decoded.timeoutMillis()).isEqualTo(2500);
        assertThat(decoded.headers()).isEqualTo(HEADERS);
        assertThat(decoded.body()).isEqualTo(BODY);
    }

    @Test
    void shouldRoundTripEveryWorkerCommand() {
        Ready ready = (Ready) roundTrip(new Ready("echo", 8, Headers.EMPTY));
        assertThat(ready.capacity()).isEqualTo(8);
        Job job = (Job) roundTrip(new Job(7, 100, HEADERS, BODY));
        assertThat(job.jobId()).isEqualTo(7);
        assertThat(job.body()).isEqualTo(BODY);
        Done done = (Done) roundTrip(new Done(7, Headers.EMPTY, BODY));
        assertThat(done.body()).isEqualTo(BODY);
        assertThat(roundTrip(new Heartbeat())).isInstanceOf(Heartbeat.class);
    }

    @Test
    void shouldRoundTripRepliesAndErrors() {
        assertThat(((Reply) roundTrip(new Reply(3, HEADERS, BODY))).headers()).isEqualTo(HEADERS);
        ErrorReply error = (ErrorReply) roundTrip(new ErrorReply(3, ErrorCode.EXPIRED, "deadline passed"));
        assertThat(error.code()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(error.reason()).isEqualTo("deadline passed");
        assertThat(((StatusReply) roundTrip(new StatusReply(1, "{}"))).json()).isEqualTo("{}");
    }

    @Test
    void shouldRejectWrongFrameCount() {
        ZMsg msg = NativeCodec.encode(new Request(1, "echo", 0, Headers.EMPTY, BODY));
        msg.removeLast();
        assertThatThrownBy(() -> NativeCodec.decode(msg))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("REQUEST needs 7 frames, got 6");
    }

    @Test
    void shouldRejectUnknownCommandAndShortIds() {
        ZMsg unknown = new ZMsg();
        unknown.add("CRR1");
        unknown.add(new byte[] {0x7F});
        assertThatThrownBy(() -> NativeCodec.decode(unknown)).hasMessageContaining("unknown command id 0x7f");

        ZMsg shortId = NativeCodec.encode(new Reply(1, Headers.EMPTY, BODY));
        ZMsg broken = new ZMsg();
        broken.add(shortId.pop());
        broken.add(shortId.pop());
        shortId.pop();
        broken.add(new byte[3]);
        broken.add(shortId.pop());
        broken.add(shortId.pop());
        assertThatThrownBy(() -> NativeCodec.decode(broken)).hasMessageContaining("correlation id must be 8 bytes");
    }

    private static NativeMessage roundTrip(NativeMessage message) {
        NativeMessage decoded = NativeCodec.decode(NativeCodec.encode(message));
        assertThat(decoded.command()).isEqualTo(message.command());
        return decoded;
    }
}
