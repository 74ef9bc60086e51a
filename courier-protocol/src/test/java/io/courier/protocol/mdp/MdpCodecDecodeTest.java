package io.courier.protocol.mdp;

import static io.courier.protocol.mdp.MdpFrames.C01;
import static io.courier.protocol.mdp.MdpFrames.C02;
import static io.courier.protocol.mdp.MdpFrames.EMPTY;
import static io.courier.protocol.mdp.MdpFrames.W01;
import static io.courier.protocol.mdp.MdpFrames.W02;
import static io.courier.protocol.mdp.MdpFrames.frames;
import static io.courier.protocol.mdp.MdpFrames.name;
import static io.courier.protocol.mdp.MdpFrames.texts;
import static io.courier.protocol.mdp.MdpFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.Version;
import io.courier.protocol.mdp.MdpMessage.WorkerDisconnect;
import io.courier.protocol.mdp.MdpMessage.WorkerHeartbeat;
import io.courier.protocol.mdp.MdpMessage.WorkerReady;
import io.courier.protocol.mdp.MdpMessage.WorkerReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every command a Majordomo client or worker sends to a broker, well formed (RFC 7 MDP/0.1, RFC 18 MDP/0.2). */
@Timeout(10)
class MdpCodecDecodeTest {
    private static final byte[] ADDRESS = {0, 1, 2, (byte) 0xFF};

    // ---- MDP/0.1 (RFC 7): every message opens with an empty delimiter ----

    @Test
    void shouldDecodeMdp01ClientRequest() {
        MdpMessage message = MdpCodec.decode(frames(EMPTY, C01, "echo", "part-1", "part-2"));

        assertThat(message).isInstanceOf(ClientRequest.class);
        ClientRequest request = (ClientRequest) message;
        assertThat(request.version()).isEqualTo(Version.V01);
        assertThat(request.service()).isEqualTo("echo");
        assertThat(texts(request.body())).containsExactly("part-1", "part-2");
    }

    @Test
    void shouldDecodeMdp01ClientRequestWithoutBody() {
        ClientRequest request = (ClientRequest) MdpCodec.decode(frames(EMPTY, C01, "echo"));

        assertThat(request.service()).isEqualTo("echo");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void shouldKeepEmptyBodyFramesOfMdp01ClientRequest() {
        ClientRequest request = (ClientRequest) MdpCodec.decode(frames(EMPTY, C01, "echo", EMPTY, "x", EMPTY));

        assertThat(texts(request.body())).containsExactly("", "x", "");
    }

    @Test
    void shouldDecodeMdp01WorkerReady() {
        MdpMessage message = MdpCodec.decode(frames(EMPTY, W01, 0x01, "echo"));

        assertThat(message).isEqualTo(new WorkerReady(Version.V01, "echo"));
    }

    @Test
    void shouldDecodeMdp01WorkerReply() {
        WorkerReply reply = (WorkerReply) MdpCodec.decode(frames(EMPTY, W01, 0x03, ADDRESS, EMPTY, "a", "b"));

        assertThat(reply.version()).isEqualTo(Version.V01);
        assertThat(reply.address()).isEqualTo(ADDRESS);
        assertThat(texts(reply.body())).containsExactly("a", "b");
        assertThat(reply.partial()).isFalse();
    }

    @Test
    void shouldDecodeMdp01WorkerReplyWithoutBody() {
        WorkerReply reply = (WorkerReply) MdpCodec.decode(frames(EMPTY, W01, 0x03, ADDRESS, EMPTY));

        assertThat(reply.address()).isEqualTo(ADDRESS);
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void shouldDecodeMdp01WorkerHeartbeat() {
        assertThat(MdpCodec.decode(frames(EMPTY, W01, 0x04))).isEqualTo(new WorkerHeartbeat(Version.V01));
    }

    @Test
    void shouldDecodeMdp01WorkerDisconnect() {
        assertThat(MdpCodec.decode(frames(EMPTY, W01, 0x05))).isEqualTo(new WorkerDisconnect(Version.V01));
    }

    // ---- MDP/0.2 (RFC 18): no delimiter, a command frame after the header ----

    @Test
    void shouldDecodeMdp02ClientRequest() {
        ClientRequest request = (ClientRequest) MdpCodec.decode(frames(C02, 0x01, "echo", "part-1", "part-2"));

        assertThat(request.version()).isEqualTo(Version.V02);
        assertThat(request.service()).isEqualTo("echo");
        assertThat(texts(request.body())).containsExactly("part-1", "part-2");
    }

    @Test
    void shouldDecodeMdp02ClientRequestWithoutBody() {
        ClientRequest request = (ClientRequest) MdpCodec.decode(frames(C02, 0x01, "echo"));

        assertThat(request.body()).isEmpty();
    }

    @Test
    void shouldDecodeMdp02WorkerReady() {
        assertThat(MdpCodec.decode(frames(W02, 0x01, "echo"))).isEqualTo(new WorkerReady(Version.V02, "echo"));
    }

    @Test
    void shouldDecodeMdp02WorkerPartial() {
        WorkerReply reply = (WorkerReply) MdpCodec.decode(frames(W02, 0x03, ADDRESS, EMPTY, "chunk"));

        assertThat(reply.version()).isEqualTo(Version.V02);
        assertThat(reply.address()).isEqualTo(ADDRESS);
        assertThat(texts(reply.body())).containsExactly("chunk");
        assertThat(reply.partial()).isTrue();
    }

    @Test
    void shouldDecodeMdp02WorkerFinal() {
        WorkerReply reply = (WorkerReply) MdpCodec.decode(frames(W02, 0x04, ADDRESS, EMPTY, "last", "more"));

        assertThat(reply.address()).isEqualTo(ADDRESS);
        assertThat(texts(reply.body())).containsExactly("last", "more");
        assertThat(reply.partial()).isFalse();
    }

    @Test
    void shouldDecodeMdp02WorkerFinalWithoutBody() {
        WorkerReply reply = (WorkerReply) MdpCodec.decode(frames(W02, 0x04, ADDRESS, EMPTY));

        assertThat(reply.body()).isEmpty();
        assertThat(reply.partial()).isFalse();
    }

    @Test
    void shouldDecodeMdp02WorkerHeartbeat() {
        assertThat(MdpCodec.decode(frames(W02, 0x05))).isEqualTo(new WorkerHeartbeat(Version.V02));
    }

    @Test
    void shouldDecodeMdp02WorkerDisconnect() {
        assertThat(MdpCodec.decode(frames(W02, 0x06))).isEqualTo(new WorkerDisconnect(Version.V02));
    }

    // ---- service names ----

    @Test
    void shouldAcceptServiceNamesOfOneAnd255Bytes() {
        assertThat(((ClientRequest) MdpCodec.decode(frames(EMPTY, C01, "e"))).service()).isEqualTo("e");
        assertThat(((ClientRequest) MdpCodec.decode(frames(EMPTY, C01, name(255)))).service()).hasSize(255);
        assertThat(((ClientRequest) MdpCodec.decode(frames(C02, 0x01, name(255)))).service()).hasSize(255);
        assertThat(MdpCodec.decode(frames(EMPTY, W01, 0x01, name(255)))).isEqualTo(
                new WorkerReady(Version.V01, name(255)));
        assertThat(MdpCodec.decode(frames(W02, 0x01, name(255)))).isEqualTo(new WorkerReady(Version.V02, name(255)));
    }

    @Test
    void shouldDecodeUtf8ServiceName() {
        String service = "caf\u00e9.\u6771\u4eac";

        ClientRequest request = (ClientRequest) MdpCodec.decode(frames(EMPTY, C01, utf8(service)));

        assertThat(request.service()).isEqualTo(service);
    }

    // ---- isMajordomo ----

    @Test
    void shouldRecogniseEveryMajordomoHeader() {
        assertThat(MdpCodec.isMajordomo(frames(EMPTY, C01, "echo"))).isTrue();
        assertThat(MdpCodec.isMajordomo(frames(EMPTY, W01, 0x04))).isTrue();
        assertThat(MdpCodec.isMajordomo(frames(C02, 0x01, "echo"))).isTrue();
        assertThat(MdpCodec.isMajordomo(frames(W02, 0x05))).isTrue();
        assertThat(MdpCodec.isMajordomo(frames(C02))).isTrue();
    }

    @Test
    void shouldNotRecogniseOtherHeaders() {
        assertThat(MdpCodec.isMajordomo(frames())).isFalse();
        assertThat(MdpCodec.isMajordomo(frames(EMPTY))).isFalse();
        assertThat(MdpCodec.isMajordomo(frames("CRR1", 0x03))).isFalse();
        assertThat(MdpCodec.isMajordomo(frames(C01, "echo"))).isFalse();
        assertThat(MdpCodec.isMajordomo(frames(EMPTY, C02, 0x01))).isFalse();
        assertThat(MdpCodec.isMajordomo(frames(EMPTY, "MDPC03", "echo"))).isFalse();
        assertThat(MdpCodec.isMajordomo(frames("mdpw02", 0x05))).isFalse();
    }
}
