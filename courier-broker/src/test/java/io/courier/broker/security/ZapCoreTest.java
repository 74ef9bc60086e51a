package io.courier.broker.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.core.certificate.CertificateFile;
import io.courier.core.certificate.CertificateWriter;
import io.courier.core.certificate.CurveKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

@Timeout(10)
class ZapCoreTest {
    @TempDir
    Path dir;
    private final List<String> failures = new ArrayList<>();
    private Allowlist allowlist;
    private String aliceKey;

    @BeforeEach
    void allowAlice() throws Exception {
        aliceKey = write("alice", dir);
        allowlist = new Allowlist(dir);
        allowlist.rescan();
    }

    private static String write(String name, Path where) throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        Path scratch = Files.createTempDirectory("zap");
        List<Path> files = CertificateWriter.write(new CertificateFile(name, pair.publicKey, pair.secretKey,
                Map.of()), scratch);
        Files.copy(files.get(0), where.resolve(name + ".key"));
        return pair.publicKey;
    }

    private static List<byte[]> request(String address, String mechanism, String key) {
        List<byte[]> frames = new ArrayList<>(List.of(b("1.0"), b("7"), b(""), b(address), b(""), b(mechanism)));
        if (key != null) {
            frames.add(CurveKeys.decode("key", key));
        }
        return frames;
    }

    private static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    private static String status(List<byte[]> reply) {
        return new String(reply.get(2), UTF_8);
    }

    @Test
    void shouldAcceptAnAllowedKeyWithItsNameAsUserId() {
        ZapCore core = new ZapCore(true, allowlist, IpFilter.any(), failures::add);

        List<byte[]> reply = core.onRequest(request("127.0.0.1", "CURVE", aliceKey));

        assertThat(status(reply)).isEqualTo("200");
        assertThat(new String(reply.get(1), UTF_8)).as("request id echoed").isEqualTo("7");
        assertThat(new String(reply.get(4), UTF_8)).isEqualTo("alice");
        assertThat(reply).hasSize(6);
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldRefuseAndCountUnknownKeysOtherMechanismsAndDeniedAddresses() {
        ZapCore core = new ZapCore(true, allowlist, IpFilter.of(List.of(), List.of("10.0.0.0/8")), failures::add);

        assertThat(status(core.onRequest(request("127.0.0.1", "CURVE", ZMQ.Curve.generateKeyPair().publicKey))))
                .isEqualTo("400");
        assertThat(status(core.onRequest(request("127.0.0.1", "NULL", null)))).isEqualTo("400");
        assertThat(status(core.onRequest(request("10.1.1.1", "CURVE", aliceKey)))).isEqualTo("400");

        assertThat(failures).containsExactly("unknown_key", "mechanism", "ip_denied");
    }

    @Test
    void shouldTakeAKeyAddedSinceTheLastScanAtOnce() throws Exception {
        ZapCore core = new ZapCore(true, allowlist, IpFilter.any(), failures::add);
        String bobKey = write("bob", dir);

        assertThat(new String(core.onRequest(request("127.0.0.1", "CURVE", bobKey)).get(4), UTF_8)).isEqualTo("bob");
    }

    @Test
    void shouldCheckOnlyTheAddressWithoutCurve() {
        ZapCore core = new ZapCore(false, allowlist, IpFilter.of(List.of("127.0.0.1"), List.of()), failures::add);

        assertThat(status(core.onRequest(request("127.0.0.1", "NULL", null)))).isEqualTo("200");
        assertThat(status(core.onRequest(request("10.0.0.1", "NULL", null)))).isEqualTo("400");
        assertThat(failures).containsExactly("ip_not_allowed");
    }

    @Test
    void shouldAnswerAMalformedRequestWith500() {
        ZapCore core = new ZapCore(true, allowlist, IpFilter.any(), failures::add);

        assertThat(status(core.onRequest(List.of(b("1.0"), b("1"))))).isEqualTo("500");
    }
}
