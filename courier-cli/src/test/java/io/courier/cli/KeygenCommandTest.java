package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.broker.config.BrokerConfig;
import io.courier.broker.security.SecurityConfig;
import io.courier.client.CurveCertificate;
import io.courier.testkit.TestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class KeygenCommandTest {
    @TempDir
    Path dir;
    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldWriteBothFilesWithTheSecretOwnerOnly() throws Exception {
        Cli.Result result = Cli.run("keygen", "alice", "--dir", dir.resolve("keys").toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        CurveCertificate secret = CurveCertificate.load(dir.resolve("keys/alice.key_secret"));
        CurveCertificate pub = CurveCertificate.load(dir.resolve("keys/alice.key"));
        assertThat(pub.publicKey()).isEqualTo(secret.publicKey());
        assertThat(pub.secretKey()).isEmpty();
        assertThat(result.out()).contains(secret.publicKey());
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("keys/alice.key_secret")))).isEqualTo("rw-------");
        }
    }

    @Test
    void shouldRefuseToOverwrite() throws Exception {
        assertThat(Cli.run("keygen", "alice", "--dir", dir.toString()).exitCode()).isZero();
        String before = Files.readString(dir.resolve("alice.key_secret"));

        Cli.Result again = Cli.run("keygen", "alice", "--dir", dir.toString());

        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.err()).contains("alice.key").contains("exists already");
        assertThat(Files.readString(dir.resolve("alice.key_secret"))).isEqualTo(before);
    }

    @Test
    void shouldRejectABadName() {
        Cli.Result result = Cli.run("keygen", "../x", "--dir", dir.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
    }

    @Test
    void shouldExit4WithOneLineWhenTheBrokerRefusesTheKey() throws Exception {
        List<Path> serverFiles = CurveCertificate.generate("broker").writeTo(dir.resolve("keys"));
        Path allowlist = Files.createDirectories(dir.resolve("keys/clients"));
        BrokerConfig config = TestBroker.config(dir.resolve("data"))
                .withSecurity(new SecurityConfig(true, serverFiles.get(1), allowlist, List.of(), List.of()));
        broker = TestBroker.start(config);
        assertThat(Cli.run("keygen", "mallory", "--dir", dir.toString()).exitCode()).isZero();

        Cli.Result result = Cli.run("request", "--service", "echo", "--broker", broker.endpoint(), "--server-key",
                serverFiles.get(0).toString(), "--cert", dir.resolve("mallory.key_secret").toString(), "hello");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(4);
        assertThat(result.err().strip()).isEqualTo("courier: refused by the broker at " + broker.endpoint()
                + ": authentication failed");
    }

    @Test
    void shouldEndAWorkerWithExit4WhenTheBrokerRefusesItsKey() throws Exception {
        List<Path> serverFiles = CurveCertificate.generate("broker").writeTo(dir.resolve("keys"));
        Path allowlist = Files.createDirectories(dir.resolve("keys/clients"));
        BrokerConfig config = TestBroker.config(dir.resolve("data"))
                .withSecurity(new SecurityConfig(true, serverFiles.get(1), allowlist, List.of(), List.of()));
        broker = TestBroker.start(config);
        assertThat(Cli.run("keygen", "mallory", "--dir", dir.toString()).exitCode()).isZero();

        Cli.Result result = Cli.run("worker", "--service", "echo", "--echo", "--broker", broker.endpoint(),
                "--server-key", serverFiles.get(0).toString(), "--cert", dir.resolve("mallory.key_secret").toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(4);
        assertThat(result.err().strip()).isEqualTo("courier: refused by the broker at " + broker.endpoint()
                + ": authentication failed");
    }

    @Test
    void shouldExit2WhenOnlyOneOfServerKeyAndCertIsGiven() {
        Cli.Result result = Cli.run("request", "--service", "echo", "--cert", dir.resolve("x.key_secret").toString(),
                "hello");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).contains("--cert needs --server-key");
    }
}
