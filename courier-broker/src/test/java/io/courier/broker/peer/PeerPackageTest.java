package io.courier.broker.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The peer package is a leaf of the broker: transport and the rest use it; it uses no other broker package. */
class PeerPackageTest {
    @Test
    void shouldImportNoOtherBrokerPackage() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path module = Files.isDirectory(dir.resolve("courier-broker")) ? dir.resolve("courier-broker") : dir;
        Path sources = module.resolve("src/main/java/io/courier/broker/peer");
        List<String> imports;
        try (Stream<Path> files = Files.list(sources)) {
            imports = files.filter(f -> f.toString().endsWith(".java")).flatMap(PeerPackageTest::lines)
                    .filter(line -> line.startsWith("import ")).collect(Collectors.toList());
        }

        assertThat(imports).isNotEmpty();
        assertThat(imports).filteredOn(line -> line.contains("io.courier.broker."))
                .allMatch(line -> line.contains("io.courier.broker.peer."));
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim);
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
