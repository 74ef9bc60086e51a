package io.courier.core.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.core.ConfigException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

@Timeout(10)
class CertificateFileTest {
    @TempDir
    Path dir;

    /** As CZMQ's zcert_save_secret writes it (tabs of four spaces, a timestamp comment, quoted values). */
    private static final String CZMQ_SECRET = """
            #   ****  Generated on 2024-05-01 12:00:00 by CZMQ  ****
            #   ZeroMQ CURVE **Secret** Certificate
            #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

            metadata
                name = "alice"
                email = 'alice@example.com'
            curve
                public-key = "%s"
                secret-key = "%s"
            """;

    @Test
    void shouldReadACzmqStyleSecretCertificate() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        Path file = dir.resolve("alice.key_secret");
        Files.writeString(file, CZMQ_SECRET.formatted(pair.publicKey, pair.secretKey));

        CertificateFile read = CertificateFile.read(file);

        assertThat(read.name()).isEqualTo("alice");
        assertThat(read.publicKey()).isEqualTo(pair.publicKey);
        assertThat(read.secretKey()).isEqualTo(pair.secretKey);
        assertThat(read.metadata()).containsEntry("email", "alice@example.com");
        assertThat(read.toString()).doesNotContain(pair.secretKey);
    }

    @Test
    void shouldReadBareValuesWithTrailingCommentsAndOtherIndentation() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        Path file = dir.resolve("bob.key");
        Files.writeString(file, "# comment\ncurve\n\tpublic-key = " + pair.publicKey + "   # the key\n");

        CertificateFile read = CertificateFile.read(file);

        assertThat(read.name()).isEqualTo("bob");
        assertThat(read.publicKey()).isEqualTo(pair.publicKey);
        assertThat(read.secretKey()).isNull();
    }

    @Test
    void shouldRoundTripThroughTheWriter() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        CertificateFile cert = new CertificateFile("svc", pair.publicKey, pair.secretKey, Map.of("name", "svc"));

        List<Path> written = CertificateWriter.write(cert, dir.resolve("keys"));

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly("svc.key", "svc.key_secret");
        CertificateFile publicCert = CertificateFile.read(written.get(0));
        CertificateFile secretCert = CertificateFile.read(written.get(1));
        assertThat(publicCert.publicKey()).isEqualTo(pair.publicKey);
        assertThat(publicCert.secretKey()).isNull();
        assertThat(Files.readString(written.get(0))).doesNotContain(pair.secretKey);
        assertThat(secretCert).isEqualTo(cert);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(1))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void shouldRefuseToOverwriteAndWriteNothing() throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        CertificateFile cert = new CertificateFile("svc", pair.publicKey, pair.secretKey, Map.of());
        Files.writeString(dir.resolve("svc.key_secret"), "keep me");

        assertThatThrownBy(() -> CertificateWriter.write(cert, dir)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("svc.key_secret");
        assertThat(dir.resolve("svc.key")).doesNotExist();
        assertThat(Files.readString(dir.resolve("svc.key_secret"))).isEqualTo("keep me");
    }

    @Test
    void shouldNameTheFileAndTheProblemWhenMalformed() throws Exception {
        Path noCurve = write("a.key", "metadata\n    name = \"a\"\n");
        Path shortKey = write("b.key", "curve\n    public-key = \"abc\"\n");
        Path badChar = write("c.key", "curve\n    public-key = \"" + "~".repeat(40) + "\"\n");
        Path unterminated = write("d.key", "curve\n    public-key = \"abc\n");
        Path garbage = write("e.key", "curve\n    this is not zpl\n");

        assertThatThrownBy(() -> CertificateFile.read(noCurve)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(noCurve.toString()).hasMessageContaining("no 'curve' section");
        assertThatThrownBy(() -> CertificateFile.read(shortKey))
                .hasMessageContaining(shortKey.toString()).hasMessageContaining("40 Z85 characters, got 3");
        assertThatThrownBy(() -> CertificateFile.read(badChar)).hasMessageContaining("not a Z85 character");
        assertThatThrownBy(() -> CertificateFile.read(unterminated)).hasMessageContaining("line 2")
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> CertificateFile.read(garbage)).hasMessageContaining("line 2");
        assertThatThrownBy(() -> CertificateFile.read(dir.resolve("missing.key")))
                .hasMessageContaining("missing.key: file not found");
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
