package io.courier.protocol.mdp;

import static io.courier.protocol.mdp.MdpFrames.C01;
import static io.courier.protocol.mdp.MdpFrames.C02;
import static io.courier.protocol.mdp.MdpFrames.EMPTY;
import static io.courier.protocol.mdp.MdpFrames.W01;
import static io.courier.protocol.mdp.MdpFrames.W02;
import static io.courier.protocol.mdp.MdpFrames.frames;
import static io.courier.protocol.mdp.MdpFrames.texts;
import static io.courier.protocol.mdp.MdpFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.protocol.ProtocolException;
import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.Version;
import io.courier.protocol.mdp.MdpMessage.WorkerDisconnect;
import io.courier.protocol.mdp.MdpMessage.WorkerHeartbeat;
import io.courier.protocol.mdp.MdpMessage.WorkerReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the broker sends to Majordomo peers, and round trips through {@link MdpCodec#decode} where the direction
 * allows: heartbeats and disconnects flow both ways, an MDP/0.1 reply to a client has the layout of its request,
 * and a worker's reply echoes the address of the request it was sent.
 */
@Timeout(10)
class MdpCodecEncodeTest {
    private static final byte[] ADDRESS = {7, 0, 0, 1, (byte) 0x80};
    private static final byte[][] BODY = frames("one", "", "three");

    @Test
    void shouldEncodeMdp01ClientReply() {
        byte[][] out = MdpCodec.clientReply(Version.V01, "echo", BODY, false);

        assertThat(out).isDeepEqualTo(frames(EMPTY, C01, utf8("echo"), utf8("one"), EMPTY, utf8("three")));
    }

    @Test
    void shouldIgnorePartialFlagInMdp01ClientReply() {
        assertThat(MdpCodec.clientReply(Version.V01, "echo", BODY, true))
                .isDeepEqualTo(MdpCodec.clientReply(Version.V01, "echo", BODY, false));
    }

    @Test
    void shouldEncodeMdp02ClientFinal() {
        byte[][] out = MdpCodec.clientReply(Version.V02, "echo", BODY, false);

        assertThat(out).isDeepEqualTo(frames(C02, new byte[] {0x03}, utf8("echo"), utf8("one"), EMPTY,
                utf8("three")));
    }

    @Test
    void shouldEncodeMdp02ClientPartial() {
        byte[][] out = MdpCodec.clientReply(Version.V02, "echo", frames("chunk"), true);

        assertThat(out).isDeepEqualTo(frames(C02, new byte[] {0x02}, utf8("echo"), utf8("chunk")));
    }

    @Test
    void shouldEncodeClientReplyWithUtf8ServiceAndNoBody() {
        byte[][] out = MdpCodec.clientReply(Version.V02, "caf\u00e9", new byte[0][], false);

        assertThat(out).hasNumberOfRows(3);
        assertThat(out[2]).isEqualTo(utf8("caf\u00e9"));
    }

    @Test
    void shouldEncodeMdp01WorkerRequest() {
        byte[][] out = MdpCodec.workerRequest(Version.V01, ADDRESS, BODY);

        assertThat(out).isDeepEqualTo(frames(EMPTY, W01, new byte[] {0x02}, ADDRESS, EMPTY, utf8("one"), EMPTY,
                utf8("three")));
    }

    @Test
    void shouldEncodeMdp02WorkerRequest() {
        byte[][] out = MdpCodec.workerRequest(Version.V02, ADDRESS, BODY);

        assertThat(out).isDeepEqualTo(frames(W02, new byte[] {0x02}, ADDRESS, EMPTY, utf8("one"), EMPTY,
                utf8("three")));
    }

    @Test
    void shouldEncodeWorkerHeartbeatAndDisconnect() {
        assertThat(MdpCodec.workerHeartbeat(Version.V01)).isDeepEqualTo(frames(EMPTY, W01, new byte[] {0x04}));
        assertThat(MdpCodec.workerDisconnect(Version.V01)).isDeepEqualTo(frames(EMPTY, W01, new byte[] {0x05}));
        assertThat(MdpCodec.workerHeartbeat(Version.V02)).isDeepEqualTo(frames(W02, new byte[] {0x05}));
        assertThat(MdpCodec.workerDisconnect(Version.V02)).isDeepEqualTo(frames(W02, new byte[] {0x06}));
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void shouldRoundTripHeartbeat(Version version) {
        MdpMessage decoded = MdpCodec.decode(MdpCodec.workerHeartbeat(version));

        assertThat(decoded).isEqualTo(new WorkerHeartbeat(version));
        assertThat(MdpCodec.isMajordomo(MdpCodec.workerHeartbeat(version))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void shouldRoundTripDisconnect(Version version) {
        MdpMessage decoded = MdpCodec.decode(MdpCodec.workerDisconnect(version));

        assertThat(decoded).isEqualTo(new WorkerDisconnect(version));
    }

    @Test
    void shouldRoundTripMdp01ClientReplyThroughTheSameLayoutAsARequest() {
        ClientRequest decoded = (ClientRequest) MdpCodec.decode(MdpCodec.clientReply(Version.V01, "echo", BODY, false));

        assertThat(decoded.version()).isEqualTo(Version.V01);
        assertThat(decoded.service()).isEqualTo("echo");
        assertThat(texts(decoded.body())).containsExactly("one", "", "three");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void shouldRoundTripAddressAndBodyWhenWorkerEchoesRequestEnvelope(Version version) {
        byte[][] request = MdpCodec.workerRequest(version, ADDRESS, BODY);
        int commandAt = version == Version.V01 ? 2 : 1;
        request[commandAt] = new byte[] {version == Version.V01 ? (byte) 0x03 : (byte) 0x04};   // REPLY / FINAL

        WorkerReply reply = (WorkerReply) MdpCodec.decode(request);

        assertThat(reply.version()).isEqualTo(version);
        assertThat(reply.address()).isEqualTo(ADDRESS);
        assertThat(texts(reply.body())).containsExactly("one", "", "three");
        assertThat(reply.partial()).isFalse();
    }

    @Test
    void shouldRoundTripMdp02PartialWhenWorkerEchoesRequestEnvelope() {
        byte[][] request = MdpCodec.workerRequest(Version.V02, ADDRESS, frames("chunk"));
        request[1] = new byte[] {0x03};

        WorkerReply reply = (WorkerReply) MdpCodec.decode(request);

        assertThat(reply.partial()).isTrue();
        assertThat(reply.address()).isEqualTo(ADDRESS);
        assertThat(texts(reply.body())).containsExactly("chunk");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void shouldRejectWorkerRequestComingBackToTheBroker(Version version) {
        byte[][] request = MdpCodec.workerRequest(version, ADDRESS, BODY);

        assertThatThrownBy(() -> MdpCodec.decode(request))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unexpected command 0x2");
    }

    @Test
    void shouldRejectMdp02ClientRepliesComingBackToTheBroker() {
        assertThatThrownBy(() -> MdpCodec.decode(MdpCodec.clientReply(Version.V02, "echo", BODY, false)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("REQUEST");
        assertThatThrownBy(() -> MdpCodec.decode(MdpCodec.clientReply(Version.V02, "echo", BODY, true)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("REQUEST");
    }
}
