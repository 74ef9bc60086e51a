package io.courier.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.ConsumeOptions;
import io.courier.client.EnqueueOptions;
import io.courier.client.EnqueueReceipt;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.core.CourierException;
import io.courier.testkit.Closeables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * confirmed before dying must be delivered afterwards (at least once); duplicates are counted and reported. The
 * second test kills it four times under two producers and an acking consumer and explains every duplicate.
 */
@Timeout(120)
@EnabledOnOs({OS.LINUX, OS.MAC})
class QueueCrashIT {
    private static final String ANY = "tcp://127.0.0.1:*";
    private static final Duration START = ofSeconds(40);   // a cold JVM on a busy 2-core machine
    private static final Pattern FRONTEND = Pattern.compile("^frontend +(tcp://\\S+)$");
    private static final int MESSAGES = 5_000;
    private static final int KILL_AFTER = 1_000;
    private static final String CRASH_QUEUE = "crash-many";
    private static final int KILLS = 4;
    private static final int PRODUCERS = 2;
    private static final int WINDOW = 128;   // unconfirmed enqueues per producer
    private static final Map<String, String> QUICK_HEARTBEAT = Map.of("COURIER_HEARTBEAT_INTERVAL", "250ms",
            "COURIER_HEARTBEAT_LIVENESS", "6");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final AtomicBoolean producing = new AtomicBoolean(true);

    @AfterEach
    void stop() {
        producing.set(false);
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
        AtomicBoolean killing = new AtomicBoolean();
        List<CompletableFuture<EnqueueReceipt>> pending = new ArrayList<>();
        EnqueueOptions options = EnqueueOptions.defaults().withTimeout(ofSeconds(5));
        for (int i = 1; i <= MESSAGES && !killed.isDone(); i++) {
            String body = "m" + i;
            CompletableFuture<EnqueueReceipt> future = producer.enqueue("crash", Message.of(body),
                    options.withMessageId("id-" + i));
            pending.add(future.whenComplete((receipt, error) -> {
                if (error == null) {
                    confirmed.add(body);
                    // At or past the mark, once: two callback threads may add at the same time and both see 1001.
                    if (confirmed.size() >= KILL_AFTER && killing.compareAndSet(false, true)) {
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

    /**
     * Two producers enqueue without pause and a consumer acks as it goes, while the broker process is
     * killed with SIGKILL after a random number of confirms (seeded: {@code -Dcourier.crash.seed=N} replays a
     * schedule) and restarted on the same data directory and frontend, {@value #KILLS} times; the clients reconnect
     * by themselves. Then the queue is drained. Every confirmed message must have been consumed, nothing unknown,
     * and every duplicate must be a message handed out and not acked before a kill (or a lost session).
     */
    @Test
    void shouldKeepEveryConfirmedMessageThroughRepeatedKillsWithOnlyUnackedDuplicates() throws Exception {
        long seed = Long.getLong("courier.crash.seed", 7L);
        Random random = new Random(seed);
        CrashLedger ledger = new CrashLedger();
        Process broker = startBroker(ANY, QUICK_HEARTBEAT);
        String endpoint = frontend(broker);
        Tripwire tripwire = new Tripwire(broker);
        Client consuming = client(endpoint);
        consuming.consume(CRASH_QUEUE, ConsumeOptions.defaults().withPrefetch(32), ledger::onDelivery);
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (int p = 1; p <= PRODUCERS; p++) {
            producers.add(produce(client(endpoint), "p" + p, ledger, tripwire));
        }
        List<Integer> killedAt = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            killedAt.add(tripwire.arm(ledger.confirmedIds().size() + 200 + random.nextInt(1_301)));
            Process dead = tripwire.fired().get(60, TimeUnit.SECONDS);
            assertThat(dead.waitFor(10, TimeUnit.SECONDS)).as("broker %d died", kill).isTrue();
            assertThat(dead.exitValue()).as("exit status of broker %d: killed by SIGKILL", kill).isEqualTo(128 + 9);
            Process next = startBroker(endpoint, QUICK_HEARTBEAT);
            tripwire.restarted(next);
            assertThat(frontend(next)).as("restarted on the same frontend").isEqualTo(endpoint);
        }
        int last = ledger.confirmedIds().size() + 200 + random.nextInt(1_301);
        await("confirms after the last restart").atMost(ofSeconds(60))
                .until(() -> ledger.confirmedIds().size() >= last);
        producing.set(false);
        for (CompletableFuture<Void> producer : producers) {
            producer.get(40, TimeUnit.SECONDS);   // every enqueue answered: confirmed, or failed after its timeout
        }
        Set<String> confirmed = ledger.confirmedIds();
        await("queue drained: nothing waiting, nothing in flight").atMost(ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "0/0".equals(depthAndUnacked(consuming, CRASH_QUEUE)));

        report(seed, killedAt, ledger);
        Set<String> lost = new TreeSet<>(confirmed);
        lost.removeAll(ledger.deliveredIds());
        Set<String> unknown = new TreeSet<>(ledger.deliveredIds());
        unknown.removeAll(ledger.sentIds());
        CrashLedger.Duplicates duplicates = ledger.duplicates();
        assertThat(lost).as("confirmed but never consumed").isEmpty();
        assertThat(unknown).as("consumed but never sent").isEmpty();
        assertThat(duplicates.unexplained()).as("duplicates not handed out again by the broker").isEmpty();
        assertThat(duplicates.storedAgain()).as("acked messages stored again by a resend after a restart").isZero();
        assertThat(ledger.runsSeen()).as("broker processes seen by the consumer").isLessThanOrEqualTo(KILLS + 1);
    }

    private static void report(long seed, List<Integer> killedAt, CrashLedger ledger) {
        Set<String> confirmed = ledger.confirmedIds();
        CrashLedger.Duplicates d = ledger.duplicates();
        long unconfirmedStored = ledger.deliveredIds().stream().filter(id -> !confirmed.contains(id)).count();
        System.out.printf("queue crash test (seed %d): kills=%d at confirms %s; broker runs seen by the consumer=%d;"
                        + " sent=%d confirmed=%d failed=%s delivered=%d distinct=%d duplicates=%d"
                        + " (after a restart %d, of which delivery count not raised %d; within a run %d;"
                        + " stored again %d; unexplained %d) stored-but-unconfirmed=%d%n",
                seed, killedAt.size(), killedAt, ledger.runsSeen(), ledger.sentIds().size(), confirmed.size(),
                ledger.failures(), ledger.deliveredCount(), ledger.deliveredIds().size(), d.total(), d.afterRestart(),
                d.countNotRaised(), d.withinRun(), d.storedAgain(), d.unexplained().size(), unconfirmedStored);
    }

    /**
     * One producer on its own thread: enqueues {@code prefix-1}, {@code prefix-2}, ... with those ids, at most
     * {@value #WINDOW} unconfirmed, until {@code producing} turns false; completes once every enqueue is answered.
     */
    private CompletableFuture<Void> produce(Client client, String prefix, CrashLedger ledger, Tripwire tripwire) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        EnqueueOptions options = EnqueueOptions.defaults().withTimeout(ofSeconds(30));
        Semaphore window = new Semaphore(WINDOW);
        Thread thread = new Thread(() -> {
            try {
                for (int i = 1; producing.get(); ) {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String id = prefix + "-" + i++;
                    ledger.sent(id);
                    try {
                        client.enqueue(CRASH_QUEUE, Message.of(id), options.withMessageId(id))
                                .whenComplete((receipt, error) -> {
                                    if (error == null) {
                                        tripwire.onConfirm(ledger.confirmed(id));
                                    } else {
                                        ledger.failed(error);
                                    }
                                    window.release();
                                });
                    } catch (CourierException e) {
                        ledger.failed(e);
                        window.release();
                    }
                }
                if (!window.tryAcquire(WINDOW, 35, TimeUnit.SECONDS)) {
                    throw new AssertionError(prefix + ": enqueues still unanswered after their timeout");
                }
                done.complete(null);
            } catch (InterruptedException | RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
            }
        }, "crash-producer-" + prefix);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** "depth/unacked" of a queue from the broker's status document. */
    private static String depthAndUnacked(Client client, String queue) throws Exception {
        String status = client.status().get(5, TimeUnit.SECONDS);
        for (JsonNode q : new ObjectMapper().readTree(status).path("queues")) {
            if (queue.equals(q.path("name").asText())) {
                return q.path("depth").asLong() + "/" + q.path("unacked").asLong();
            }
        }
        return "none";
    }

    /** Kills the running broker with SIGKILL from the confirm callback that reaches the armed count. */
    private static final class Tripwire {
        private final AtomicBoolean armed = new AtomicBoolean();
        private volatile Process broker;
        private volatile int at = Integer.MAX_VALUE;
        private volatile CompletableFuture<Process> fired = new CompletableFuture<>();

        Tripwire(Process broker) {
            this.broker = broker;
        }

        /** Fires at {@code confirms} confirms in all; returns it. */
        int arm(int confirms) {
            fired = new CompletableFuture<>();
            at = confirms;
            armed.set(true);
            return confirms;
        }

        CompletableFuture<Process> fired() {
            return fired;
        }

        void restarted(Process next) {
            broker = next;
        }

        /** Any callback thread. */
        void onConfirm(int confirms) {
            if (confirms >= at && armed.compareAndSet(true, false)) {
                Process victim = broker;
                victim.destroyForcibly();   // SIGKILL on Linux and macOS: no drain, no flush
                fired.complete(victim);
            }
        }
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
        return startBroker(ANY, Map.of());
    }

    /**
     * {@code courier broker} in a JVM of its own on the test's data directory, its frontend on {@code frontend}
     * (the other endpoints ephemeral), with {@code env} added to an environment cleared of {@code COURIER_*}.
     */
    private Process startBroker(String frontend, Map<String, String> env) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "io.courier.cli.Courier", "broker",
                "--frontend", frontend, "--publish", ANY, "--subscribe", ANY, "--http", "127.0.0.1:0",
                "--data", dir.resolve("data").toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("COURIER_"));
        builder.environment().putAll(env);
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
