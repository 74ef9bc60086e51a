package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.testkit.Closeables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable-queue promise under a crash: the broker runs as a separate JVM ({@code courier broker}), is killed with
 * SIGKILL while messages are being enqueued, and restarts on the same data directory. Every message the broker
 * confirmed before dying must be delivered afterwards (at least once); duplicates are counted and reported.
 */
@Timeout(120)
@EnabledOnOs({OS.LINUX, OS.MAC})
class QueueCrashIT {
    private static final String ANY = "tcp://127.0.0.1:*";
    private static final Duration START = ofSeconds(40);   // a cold JVM on a busy 2-core machine
    private static final Pattern FRONTEND = Pattern.compile("^frontend +(tcp://\\S+)$");
    private static final int MESSAGES = 5_000;
    private static final int KILL_AFTER = 1_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(Closeables::closeAll);
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldDeliverEveryConfirmedMessageAfterAKillDashNine() throws Exception {
        Process first = startBroker();
        String endpoint = frontend(first);
        Client producer = client(endpoint);
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<Void> killed = new CompletableFuture<>();
        List<CompletableFuture<EnqueueReceipt>> pending = new ArrayList<>();
        EnqueueOptions options = EnqueueOptions.defaults().withTimeout(ofSeconds(5));
        for (int i = 1; i <= MESSAGES && !killed.isDone(); i++) {
            String body = "m" + i;
            CompletableFuture<EnqueueReceipt> future = producer.enqueue("crash", Message.of(body),
                    options.withMessageId("id-" + i));
            pending.add(future.whenComplete((receipt, error) -> {
                if (error == null) {
                    confirmed.add(body);
                    if (confirmed.size() == KILL_AFTER) {
                        first.destroyForcibly();   // SIGKILL mid-stream: no drain, no flush
                        killed.complete(null);
                    }
                } else {
                    failed.incrementAndGet();
                }
            }));
            if (pending.size() % 256 == 0) {
                pending.get(pending.size() - 256).handle((r, e) -> null).get(10, TimeUnit.SECONDS);
            }
        }
        killed.get(30, TimeUnit.SECONDS);
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("broker killed").isTrue();
        for (CompletableFuture<EnqueueReceipt> f : pending) {
            f.handle((r, e) -> null).get(15, TimeUnit.SECONDS);   // each confirmed, or failed (timeout, unavailable)
        }
        producer.close();
        Set<String> promised = Set.copyOf(confirmed);

        Process second = startBroker();
        Client consumer = client(frontend(second));
        List<String> delivered = new CopyOnWriteArrayList<>();
        consumer.consume("crash", ConsumeOptions.defaults().withPrefetch(256), d -> delivered.add(d.bodyAsString()));

        await("every confirmed message delivered").atMost(ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> delivered.containsAll(promised));
        long duplicates = delivered.size() - delivered.stream().distinct().count();
        System.out.printf("queue crash test: sent=%d confirmed=%d failed=%d delivered=%d distinct=%d "
                        + "duplicates=%d (unconfirmed but stored: %d)%n", pending.size(), promised.size(),
                failed.get(), delivered.size(), delivered.stream().distinct().count(), duplicates,
                delivered.stream().distinct().filter(b -> !promised.contains(b)).count());
        assertThat(promised).hasSizeGreaterThanOrEqualTo(KILL_AFTER);
        assertThat(delivered).containsAll(promised);
    }

    private Client client(String endpoint) {
        Client client = Client.connect(ClientConfig.of(endpoint).withName("crash-test")
                .withHeartbeat(Duration.ofMillis(200), 5)
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200))
                .withDefaults(RequestOptions.of(ofSeconds(5), 0)));
        clients.add(client);
        return client;
    }

    /** {@code courier broker} in a JVM of its own on the test's data directory, ephemeral ports. */
    private Process startBroker() throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "io.courier.cli.Courier", "broker",
                "--frontend", ANY, "--publish", ANY, "--subscribe", ANY, "--http", "127.0.0.1:0",
                "--data", dir.resolve("data").toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("COURIER_"));
        builder.environment().putAll(Map.of());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Reads the broker's stdout until it prints its frontend line (and keeps draining it in the background). */
    private static String frontend(Process process) throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = FRONTEND.matcher(line);
                    if (m.matches()) {
                        found.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                found.completeExceptionally(e);
            }
            found.completeExceptionally(new AssertionError("broker exited without a frontend line"));
        }, "broker-stdout");
        reader.setDaemon(true);
        reader.start();
        return found.get(START.toSeconds(), TimeUnit.SECONDS);
    }
}
