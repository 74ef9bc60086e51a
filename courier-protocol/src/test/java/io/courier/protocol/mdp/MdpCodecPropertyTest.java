package io.courier.protocol.mdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.protocol.ProtocolException;
import io.courier.protocol.Property;
import io.courier.protocol.RandomFrames;
import io.courier.protocol.Wire;
import io.courier.protocol.mdp.MdpMessage.ClientRequest;
import io.courier.protocol.mdp.MdpMessage.Version;
import io.courier.protocol.mdp.MdpMessage.WorkerDisconnect;
import io.courier.protocol.mdp.MdpMessage.WorkerHeartbeat;
import io.courier.protocol.mdp.MdpMessage.WorkerReady;
import io.courier.protocol.mdp.MdpMessage.WorkerReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of the Majordomo decoder (MDP/0.1 and MDP/0.2, docs/protocol.md section 8): what peers send decodes
 * to what they meant; any frames, and valid messages a peer got wrong, decode or fail with
 * {@link ProtocolException}; and the broker's test {@link MdpCodec#isMajordomo} agrees with the decoder.
 */
@Timeout(30)
class MdpCodecPropertyTest {
    private static final int TRIES = 5_000;
    private static final byte[][][] HEADS = {
        {MdpFrames.EMPTY, MdpFrames.C01}, {MdpFrames.EMPTY, MdpFrames.W01}, {MdpFrames.C02}, {MdpFrames.W02}};

    @Test
    void shouldRoundTripWhatPeersSend() {
        Property.forAll("mdp round trip", TRIES, MdpCodecPropertyTest::peerMessage, m -> Property.hex(encode(m)),
                message -> {
                    MdpMessage decoded = MdpCodec.decode(encode(message));
                    assertThat(Property.hex(encode(decoded))).isEqualTo(Property.hex(encode(message)));
                });
    }

    @Test
    void shouldDecodeTheBrokersMdp01ReplyAsTheRequestItAnswers() {
        Property.forAll("mdp/0.1 reply frames", TRIES, MdpCodecPropertyTest::peerMessage, m -> m.toString(), m -> {
            if (m instanceof ClientRequest request && request.version() == Version.V01) {
                byte[][] reply = MdpCodec.clientReply(Version.V01, request.service(), request.body(), false);
                assertThat(Property.hex(encode(MdpCodec.decode(reply)))).isEqualTo(Property.hex(encode(request)));
            }
            Version v = m.version();
            assertThat(MdpCodec.decode(MdpCodec.workerHeartbeat(v))).isEqualTo(new WorkerHeartbeat(v));
            assertThat(MdpCodec.decode(MdpCodec.workerDisconnect(v))).isEqualTo(new WorkerDisconnect(v));
        });
    }

    @Test
    void shouldDecodeArbitraryFramesOrThrowProtocolException() {
        Property.forAllFrames("mdp decode of arbitrary frames", TRIES, random -> random.nextInt(3) == 0
                ? RandomFrames.arbitrary(random)
                : RandomFrames.startingWith(random, withCommand(random, HEADS[random.nextInt(HEADS.length)])),
                MdpCodecPropertyTest::decodesOrRejects);
    }

    @Test
    void shouldDecodeMutatedMessagesOrThrowProtocolException() {
        Property.forAllFrames("mdp decode of mutated messages", TRIES,
                random -> RandomFrames.mutate(random, encode(peerMessage(random))),
                MdpCodecPropertyTest::decodesOrRejects);
    }

    private static void decodesOrRejects(byte[][] frames) {
        byte[][] before = Property.copy(frames);
        boolean majordomo = MdpCodec.isMajordomo(frames);
        MdpMessage decoded = null;
        try {
            decoded = MdpCodec.decode(frames);
        } catch (ProtocolException rejected) {
            // the one allowed failure
        }
        assertThat(frames).as("input left unchanged").isDeepEqualTo(before);
        if (decoded != null) {
            assertThat(majordomo).as("isMajordomo of frames that decode to %s", decoded).isTrue();
            assertThat(MdpCodec.decode(encode(decoded))).usingRecursiveComparison().isEqualTo(decoded);
        }
    }

    /** A head, then mostly a plausible command byte. */
    private static byte[][] withCommand(Random random, byte[][] head) {
        byte[][] out = Arrays.copyOf(head, head.length + 1);
        out[head.length] = random.nextInt(5) > 0 ? new byte[] {(byte) random.nextInt(8)} : RandomFrames.frame(random);
        return out;
    }

    /** Something a Majordomo client or worker sends to a broker, of either version. */
    static MdpMessage peerMessage(Random r) {
        Version v = r.nextBoolean() ? Version.V01 : Version.V02;
        return switch (r.nextInt(5)) {
            case 0 -> new ClientRequest(v, RandomFrames.text(r, 1, r.nextInt(8) == 0 ? 255 : 20), body(r));
            case 1 -> new WorkerReady(v, RandomFrames.text(r, 1, r.nextInt(8) == 0 ? 255 : 20));
            case 2 -> new WorkerReply(v, RandomFrames.bytes(r, r.nextBoolean() ? 8 : r.nextInt(12)), body(r),
                    v == Version.V02 && r.nextBoolean());
            case 3 -> new WorkerHeartbeat(v);
            default -> new WorkerDisconnect(v);
        };
    }

    /** The frames a peer sends for {@code m} (RFC 7 and RFC 18), without the routing id. */
    static byte[][] encode(MdpMessage m) {
        boolean v01 = m.version() == Version.V01;
        List<byte[]> f = new ArrayList<>();
        if (m instanceof ClientRequest request) {
            head(f, v01, MdpFrames.C01, MdpFrames.C02);
            if (!v01) {
                f.add(new byte[] {Wire.MDP02_CLIENT_REQUEST});
            }
            f.add(MdpFrames.utf8(request.service()));
            f.addAll(Arrays.asList(request.body()));
            return f.toArray(new byte[0][]);
        }
        head(f, v01, MdpFrames.W01, MdpFrames.W02);
        if (m instanceof WorkerReady ready) {
            f.add(new byte[] {v01 ? Wire.MDP01_READY : Wire.MDP02_READY});
            f.add(MdpFrames.utf8(ready.service()));
        } else if (m instanceof WorkerReply reply) {
            byte command = v01 ? Wire.MDP01_REPLY : reply.partial() ? Wire.MDP02_PARTIAL : Wire.MDP02_FINAL;
            f.add(new byte[] {command});
            f.add(reply.address());
            f.add(MdpFrames.EMPTY);
            f.addAll(Arrays.asList(reply.body()));
        } else if (m instanceof WorkerHeartbeat) {
            f.add(new byte[] {v01 ? Wire.MDP01_HEARTBEAT : Wire.MDP02_HEARTBEAT});
        } else {
            f.add(new byte[] {v01 ? Wire.MDP01_DISCONNECT : Wire.MDP02_DISCONNECT});
        }
        return f.toArray(new byte[0][]);
    }

    private static void head(List<byte[]> f, boolean v01, byte[] protocol01, byte[] protocol02) {
        if (v01) {
            f.add(MdpFrames.EMPTY);
            f.add(protocol01);
        } else {
            f.add(protocol02);
        }
    }

    private static byte[][] body(Random r) {
        byte[][] body = new byte[r.nextInt(4)][];
        for (int i = 0; i < body.length; i++) {
            body[i] = RandomFrames.bytes(r, r.nextInt(40));
        }
        return body;
    }
}
