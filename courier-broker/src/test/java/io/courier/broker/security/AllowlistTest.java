package io.courier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.core.certificate.CertificateFile;
import io.courier.core.certificate.CertificateWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMQ;

@Timeout(10)
class AllowlistTest {
    @TempDir
    Path dir;

    private String write(String name) throws Exception {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        List<Path> files = CertificateWriter.write(new CertificateFile(name, pair.publicKey, pair.secretKey,
                Map.of()), dir);
        Files.delete(files.get(1));   // an allowlist holds public certificates only
        return pair.publicKey;
    }

    @Test
    void shouldFollowFilesAddedAndRemoved() throws Exception {
        Allowlist allowlist = new Allowlist(dir);
        String alice = write("alice");
        assertThat(allowlist.rescan()).isTrue();
        assertThat(allowlist.nameOf(alice)).isEqualTo("alice");
        assertThat(allowlist.rescan()).as("unchanged").isFalse();

        String bob = write("bob");
        Files.delete(dir.resolve("alice.key"));
        assertThat(allowlist.rescan()).isTrue();

        assertThat(allowlist.nameOf(alice)).isNull();
        assertThat(allowlist.nameOf(bob)).isEqualTo("bob");
        assertThat(allowlist.size()).isEqualTo(1);
    }

    @Test
    void shouldTellWhenTheDirectoryChangedSinceTheLastRescan() throws Exception {
        Allowlist allowlist = new Allowlist(dir);
        write("alice");
        allowlist.rescan();
        assertThat(allowlist.directoryChanged()).isFalse();

        Files.setLastModifiedTime(dir, FileTime.fromMillis(Files.getLastModifiedTime(dir).toMillis() - 60_000));

        assertThat(allowlist.directoryChanged()).as("a file added or removed touches the directory").isTrue();
        allowlist.rescan();
        assertThat(allowlist.directoryChanged()).isFalse();
    }

    @Test
    void shouldSkipMalformedFilesAndOtherNames() throws Exception {
        String alice = write("alice");
        Files.writeString(dir.resolve("broken.key"), "curve\n    public-key = \"short\"\n");
        Files.writeString(dir.resolve("notes.txt"), "not a key");
        Allowlist allowlist = new Allowlist(dir);

        allowlist.rescan();

        assertThat(allowlist.size()).isEqualTo(1);
        assertThat(allowlist.nameOf(alice)).isEqualTo("alice");
    }

    @Test
    void shouldLetNobodyInWhenTheDirectoryIsMissing() {
        Allowlist allowlist = new Allowlist(dir.resolve("missing"));

        allowlist.rescan();

        assertThat(allowlist.size()).isZero();
    }
}
