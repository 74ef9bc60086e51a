package io.courier.cli;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ConfigWatcherTest {
    @TempDir
    Path dir;

    private final List<String> reloads = new CopyOnWriteArrayList<>();
    private ConfigWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void shouldReloadOnceForABurstOfWrites() throws Exception {
        Path file = Files.writeString(dir.resolve("courier.yaml"), "a: 1\n");
        watcher = ConfigWatcher.start(file, reloads::add);

        Files.writeString(file, "a: 2\n");
        Files.writeString(file, "a: 3\n");
        Files.writeString(file, "a: 4\n");

        await("one reload").atMost(ofSeconds(5)).until(() -> !reloads.isEmpty());
        await("no second reload").during(ofMillis(3 * ConfigWatcher.DEBOUNCE_MILLIS)).atMost(ofSeconds(5))
                .until(() -> reloads.size() == 1);
        assertThat(reloads).containsExactly("file changed");
    }

    @Test
    void shouldReloadWhenAnEditorReplacesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("courier.yaml"), "a: 1\n");
        watcher = ConfigWatcher.start(file, reloads::add);

        Path saved = Files.writeString(dir.resolve(".courier.yaml.swp"), "a: 2\n");
        Files.move(saved, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        await("reload after the rename").atMost(ofSeconds(5)).until(() -> reloads.size() == 1);
    }

    @Test
    void shouldIgnoreOtherFilesAndUnchangedContent() throws Exception {
        Path file = Files.writeString(dir.resolve("courier.yaml"), "a: 1\n");
        watcher = ConfigWatcher.start(file, reloads::add);

        Files.writeString(dir.resolve("other.log"), "noise\n");
        Files.writeString(file, "a: 1\n");
        Files.writeString(file, "a: 2\n");

        await("the one real change").atMost(ofSeconds(5)).until(() -> reloads.size() == 1);
        Files.writeString(dir.resolve("other.log"), "more noise\n");
        await("no reload for noise").during(ofMillis(3 * ConfigWatcher.DEBOUNCE_MILLIS)).atMost(ofSeconds(5))
                .until(() -> reloads.size() == 1);
    }

    @Test
    void shouldReloadOnRequestEvenWhenNothingChanged() throws Exception {
        Path file = Files.writeString(dir.resolve("courier.yaml"), "a: 1\n");
        watcher = ConfigWatcher.start(file, reloads::add);

        watcher.request("SIGHUP");

        await("requested reload").atMost(ofSeconds(5)).until(() -> reloads.contains("SIGHUP"));
    }

    @Test
    void shouldServeRequestsWithoutAFile() {
        watcher = ConfigWatcher.start(null, reloads::add);

        watcher.request("SIGHUP");

        await("requested reload").atMost(ofSeconds(5)).until(() -> reloads.contains("SIGHUP"));
    }

    @Test
    void shouldKeepWatchingAfterTheReloadActionFails() throws Exception {
        Path file = Files.writeString(dir.resolve("courier.yaml"), "a: 1\n");
        watcher = ConfigWatcher.start(file, trigger -> {
            reloads.add(trigger);
            throw new IllegalStateException("reload failed");
        });

        Files.writeString(file, "a: 2\n");
        await("first reload").atMost(ofSeconds(5)).until(() -> reloads.size() == 1);
        Files.writeString(file, "a: 3\n");

        await("second reload").atMost(ofSeconds(5)).until(() -> reloads.size() == 2);
    }
}
