package io.courier.protocol.mdp;

import static io.courier.protocol.mdp.MdpFrames.C01;
import static io.courier.protocol.mdp.MdpFrames.C02;
import static io.courier.protocol.mdp.MdpFrames.EMPTY;
import static io.courier.protocol.mdp.MdpFrames.W01;
import static io.courier.protocol.mdp.MdpFrames.W02;
import static io.courier.protocol.mdp.MdpFrames.frames;
import static io.courier.protocol.mdp.MdpFrames.name;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.courier.protocol.ProtocolException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a Majordomo message can be malformed ends in a {@link ProtocolException} naming the problem. */
@Timeout(10)
class MdpCodecMalformedTest {
    private static final byte[] ADDRESS = {1, 2, 3};
    /** 128 two-byte characters: 128 chars but 256 bytes of UTF-8. */
    private static final String WIDE_256_BYTES = "\u00e9".repeat(128);

    static Stream<Arguments> missingService() {
        return Stream.of(
                arguments("MDP/0.1 request with no service frame", frames(EMPTY, C01), "no service frame"),
                arguments("MDP/0.2 request with no service frame", frames(C02, 0x01), "no service frame"),
                arguments("MDP/0.1 request with an empty service", frames(EMPTY, C01, EMPTY, "body"), "got 0"),
                arguments("MDP/0.2 request with an empty service", frames(C02, 0x01, EMPTY), "got 0"),
                arguments("MDP/0.1 READY with no service frame", frames(EMPTY, W01, 0x01), "READY needs 4"),
                arguments("MDP/0.2 READY with no service frame", frames(W02, 0x01), "READY needs 3"),
                arguments("MDP/0.1 READY with an empty service", frames(EMPTY, W01, 0x01, EMPTY), "got 0"),
                arguments("MDP/0.2 READY with an empty service", frames(W02, 0x01, EMPTY), "got 0"));
    }

    static Stream<Arguments> badCommand() {
        return Stream.of(
                arguments("MDPW01 command 0x00", frames(EMPTY, W01, 0x00), "unexpected command 0x0"),
                arguments("MDPW01 REQUEST (broker to worker only)", frames(EMPTY, W01, 0x02, ADDRESS, EMPTY),
                        "unexpected command 0x2"),
                arguments("MDPW01 command 0x06", frames(EMPTY, W01, 0x06), "unexpected command 0x6"),
                arguments("MDPW01 command 0xff", frames(EMPTY, W01, 0xFF), "unexpected command 0xff"),
                arguments("MDPW01 command frame of 2 bytes", frames(EMPTY, W01, new byte[] {1, 1}, "echo"),
                        "command frame must be 1 byte"),
                arguments("MDPW01 empty command frame", frames(EMPTY, W01, EMPTY, "echo"),
                        "command frame must be 1 byte"),
                arguments("MDPW01 without a command frame", frames(EMPTY, W01), "command frame must be 1 byte"),
                arguments("MDPW02 command 0x00", frames(W02, 0x00), "unexpected command 0x0"),
                arguments("MDPW02 REQUEST (broker to worker only)", frames(W02, 0x02, ADDRESS, EMPTY),
                        "unexpected command 0x2"),
                arguments("MDPW02 command 0x07", frames(W02, 0x07), "unexpected command 0x7"),
                arguments("MDPW02 command 0x80", frames(W02, 0x80), "unexpected command 0x80"),
                arguments("MDPW02 command frame of 2 bytes", frames(W02, new byte[] {5, 0}), "1 byte"),
                arguments("MDPW02 without a command frame", frames(W02), "command frame must be 1 byte"),
                arguments("MDPC02 PARTIAL (broker to client only)", frames(C02, 0x02, "echo"), "REQUEST (0x01)"),
                arguments("MDPC02 FINAL (broker to client only)", frames(C02, 0x03, "echo"), "REQUEST (0x01)"),
                arguments("MDPC02 command 0x00", frames(C02, 0x00, "echo"), "REQUEST (0x01)"),
                arguments("MDPC02 command frame of 2 bytes", frames(C02, new byte[] {1, 1}, "echo"), "REQUEST"),
                arguments("MDPC02 empty command frame", frames(C02, EMPTY, "echo"), "REQUEST"),
                arguments("MDPC02 without a command frame", frames(C02), "REQUEST"),
                arguments("MDPC02 with the service where the command goes", frames(C02, "echo"), "REQUEST"));
    }

    static Stream<Arguments> wrongFrameCount() {
        return Stream.of(
                arguments("MDP/0.1 READY with an extra frame", frames(EMPTY, W01, 0x01, "echo", "x"),
                        "READY needs 4 frames, got 5"),
                arguments("MDP/0.2 READY with an extra frame", frames(W02, 0x01, "echo", "x"),
                        "READY needs 3 frames, got 4"),
                arguments("MDP/0.1 HEARTBEAT with an extra frame", frames(EMPTY, W01, 0x04, EMPTY),
                        "HEARTBEAT needs 3 frames, got 4"),
                arguments("MDP/0.2 HEARTBEAT with an extra frame", frames(W02, 0x05, "x"),
                        "HEARTBEAT needs 2 frames, got 3"),
                arguments("MDP/0.1 DISCONNECT with an extra frame", frames(EMPTY, W01, 0x05, "bye"),
                        "DISCONNECT needs 3 frames, got 4"),
                arguments("MDP/0.2 DISCONNECT with an extra frame", frames(W02, 0x06, "bye"),
                        "DISCONNECT needs 2 frames, got 3"),
                arguments("MDP/0.1 REPLY with no address", frames(EMPTY, W01, 0x03), "client address"),
                arguments("MDP/0.1 REPLY with only an address", frames(EMPTY, W01, 0x03, ADDRESS), "client address"),
                arguments("MDP/0.2 PARTIAL with no address", frames(W02, 0x03), "client address"),
                arguments("MDP/0.2 PARTIAL with only an address", frames(W02, 0x03, ADDRESS), "client address"),
                arguments("MDP/0.2 FINAL with no address", frames(W02, 0x04), "client address"),
                arguments("MDP/0.2 FINAL with only an address", frames(W02, 0x04, ADDRESS), "client address"));
    }

    static Stream<Arguments> missingDelimiter() {
        return Stream.of(
                arguments("MDP/0.1 REPLY", frames(EMPTY, W01, 0x03, ADDRESS, "body")),
                arguments("MDP/0.1 REPLY, delimiter after the body", frames(EMPTY, W01, 0x03, ADDRESS, "body", EMPTY)),
                arguments("MDP/0.2 PARTIAL", frames(W02, 0x03, ADDRESS, "body")),
                arguments("MDP/0.2 FINAL", frames(W02, 0x04, ADDRESS, "body")),
                arguments("MDP/0.2 FINAL with a 1-byte 'delimiter'", frames(W02, 0x04, ADDRESS, new byte[1])));
    }

    static Stream<Arguments> serviceTooLong() {
        return Stream.of(
                arguments("MDP/0.1 request, 256 ASCII bytes", frames(EMPTY, C01, name(256), "body")),
                arguments("MDP/0.2 request, 256 ASCII bytes", frames(C02, 0x01, name(256))),
                arguments("MDP/0.1 READY, 256 ASCII bytes", frames(EMPTY, W01, 0x01, name(256))),
                arguments("MDP/0.2 READY, 256 ASCII bytes", frames(W02, 0x01, name(256))),
                arguments("MDP/0.1 request, 128 chars in 256 bytes", frames(EMPTY, C01, WIDE_256_BYTES)),
                arguments("MDP/0.2 READY, 128 chars in 256 bytes", frames(W02, 0x01, WIDE_256_BYTES)),
                arguments("MDP/0.2 request, 64 KiB", frames(C02, 0x01, name(65_536))));
    }

    static Stream<Arguments> unknownHeader() {
        return Stream.of(
                arguments("no frames", frames()),
                arguments("only a delimiter", frames(EMPTY)),
                arguments("two empty frames", frames(EMPTY, EMPTY)),
                arguments("MDPC03", frames(EMPTY, "MDPC03", "echo")),
                arguments("MDPW03", frames("MDPW03", 0x05)),
                arguments("lower-case mdpc01", frames(EMPTY, "mdpc01", "echo")),
                arguments("MDPC01 without its delimiter", frames(C01, "echo")),
                arguments("MDPW01 without its delimiter", frames(W01, 0x04)),
                arguments("MDPC02 after a delimiter", frames(EMPTY, C02, 0x01, "echo")),
                arguments("MDPW02 after a delimiter", frames(EMPTY, W02, 0x05)),
                arguments("MDPC01 after a non-empty first frame", frames("x", C01, "echo")),
                arguments("header with a trailing NUL", frames(EMPTY, new byte[] {'M', 'D', 'P', 'C', '0', '1', 0})),
                arguments("short header MDPC0", frames("MDPC0", 0x01, "echo")),
                arguments("native protocol", frames("CRR1", 0x06)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingService")
    void shouldRejectMissingService(String label, byte[][] frames, String detail) {
        assertRejected(frames, detail);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommand")
    void shouldRejectBadCommand(String label, byte[][] frames, String detail) {
        assertRejected(frames, detail);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongFrameCount")
    void shouldRejectWrongFrameCount(String label, byte[][] frames, String detail) {
        assertRejected(frames, detail);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingDelimiter")
    void shouldRejectReplyWithoutEmptyDelimiter(String label, byte[][] frames) {
        assertRejected(frames, "empty delimiter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceTooLong")
    void shouldRejectServiceNameOver255Bytes(String label, byte[][] frames) {
        assertRejected(frames, "service name must be 1 to 255 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownHeader")
    void shouldRejectUnknownProtocolHeader(String label, byte[][] frames) {
        assertRejected(frames, "not a Majordomo message");
    }

    @Test
    void shouldNameVersionInRequestErrors() {
        assertRejected(frames(EMPTY, C01), "mdp/0.1 request has no service frame");
        assertRejected(frames(C02, 0x01), "mdp/0.2 request has no service frame");
        assertRejected(frames(EMPTY, W01, 0x03, ADDRESS, "x"), "mdp/0.1 reply");
        assertRejected(frames(W02, 0x04, ADDRESS, "x"), "mdp/0.2 reply");
    }

    private static void assertRejected(byte[][] frames, String detail) {
        assertThatThrownBy(() -> MdpCodec.decode(frames))
                .as(() -> MdpFrames.hex(frames))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(detail);
    }
}
