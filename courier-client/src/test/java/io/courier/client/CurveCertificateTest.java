package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class CurveCertificateTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteAPairThatLoadsBack() throws Exception {
        CurveCertificate made = CurveCertificate.generate("alice");

        List<Path> files = made.writeTo(dir);
        CurveCertificate secret = CurveCertificate.load(files.get(1));
        CurveCertificate pub = CurveCertificate.load(files.get(0));

        assertThat(secret).isEqualTo(made);
        assertThat(secret.name()).isEqualTo("alice");
        assertThat(pub.publicKey()).isEqualTo(made.publicKey()).hasSize(40);
        assertThat(pub.secretKey()).isEmpty();
        assertThat(made.toString()).doesNotContain(made.secretKey().orElseThrow());
        assertThat(pub.publicKeyBytes()).hasSize(32);
    }

    @Test
    void shouldRefuseOverwrite() throws Exception {
        CurveCertificate.generate("alice").writeTo(dir);
        String before = Files.readString(dir.resolve("alice.key"));

        assertThatThrownBy(() -> CurveCertificate.generate("alice").writeTo(dir))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(dir.resolve("alice.key"))).isEqualTo(before);
    }

    @Test
    void shouldRequireASecretKeyInTheClientCurveSettings() throws Exception {
        CurveCertificate server = CurveCertificate.generate("broker");
        List<Path> files = CurveCertificate.generate("alice").writeTo(dir);
        CurveCertificate publicOnly = CurveCertificate.load(files.get(0));

        assertThatThrownBy(() -> ClientConfig.of("tcp://127.0.0.1:5555").withCurve(server.publicKey(), publicOnly))
                .isInstanceOf(ConfigException.class).hasMessageContaining("has no secret key");
        assertThatThrownBy(() -> ClientConfig.of("tcp://127.0.0.1:5555").withCurve("short",
                CurveCertificate.load(files.get(1)))).hasMessageContaining("40 Z85 characters");
        ClientConfig config = ClientConfig.of("tcp://127.0.0.1:5555").withCurve(server.publicKey(),
                CurveCertificate.load(files.get(1)));
        assertThat(config.curve().certificate().name()).isEqualTo("alice");
        assertThat(config.withName("x").curve()).isEqualTo(config.curve());
    }

    @Test
    void shouldRejectNamesThatAreNotFileNames() {
        assertThatThrownBy(() -> CurveCertificate.generate("../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
