package io.courier.it.ops;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.client.Client;
import io.courier.client.ClientConfig;
import io.courier.client.Message;
import io.courier.client.RequestOptions;
import io.courier.client.Worker;
import io.courier.client.WorkerOptions;
import io.courier.core.CourierException;
import io.courier.core.CourierException.Reason;
import io.courier.testkit.Closeables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code courier broker} as an operator runs it: a separate JVM, stopped and reloaded by signals and by editing its
 * config file, logging JSON. Clients and workers run in this JVM. POSIX signals: Linux and macOS only.
 */
@Timeout(60)
@EnabledOnOs({OS.LINUX, OS.MAC})
class BrokerProcessIT {
    private static final String ANY = "tcp://127.0.0.1:*";
    private static final Duration START = ofSeconds(40);   // a cold JVM on a busy 2-core machine
    private static final RequestOptions PATIENT = RequestOptions.of(ofSeconds(30), 0);

    @TempDir
    Path dir;

    private BrokerProcess broker;
    private Client client;
    private Worker worker;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        Closeables.closeAll(client, worker);
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void shouldAnswerEveryRequestInFlightAndExitZeroOnSigterm() throws Exception {
        broker = BrokerProcess.start(dir, Map.of("COURIER_SHUTDOWN_DRAIN_TIMEOUT", "3s"));
        AtomicInteger started = new AtomicInteger();
        worker = Worker.start(broker.clientConfig(), WorkerOptions.of("slow"), request -> {
            started.incrementAndGet();
            release.await(300, TimeUnit.MILLISECONDS);   // never released: a 300ms job
            return Message.of("done:" + request.bodyAsString());
        });
        await("worker registered").atMost(ofSeconds(10)).until(worker::isConnected);
        client = Client.connect(broker.clientConfig());
        List<CompletableFuture<Message>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(client.request("slow", Message.of("r" + i), PATIENT));
        }
        await("the worker has started the first request").atMost(ofSeconds(10)).until(() -> started.get() > 0);
        long begin = System.nanoTime();

        broker.sigterm();

        assertThat(broker.process().waitFor(3 + 10, TimeUnit.SECONDS)).as("exited within drain + margin").isTrue();
        long tookMillis = (System.nanoTime() - begin) / 1_000_000;
        assertThat(broker.process().exitValue()).as(broker.toString()).isZero();
        int replies = 0;
        for (CompletableFuture<Message> request : sent) {
            Outcome outcome = Outcome.of(request, ofSeconds(5));
            assertThat(outcome.ok() || outcome.reason() == Reason.UNAVAILABLE)
                    .as("a reply or UNAVAILABLE, got %s", outcome).isTrue();
            replies += outcome.ok() ? 1 : 0;
        }
        assertThat(replies).as("requests finished while draining").isPositive();
        assertThat(replies).as("requests left when the 3s drain ran out").isLessThan(sent.size());
        assertThat(tookMillis).as("ms from SIGTERM to exit, 3s drain").isLessThan(3_000 + 10_000);
        assertThat(broker.stderr()).anyMatch(line -> line.contains("stop requested signal=SIGTERM"))
                .anyMatch(line -> line.contains("broker draining"));
    }

    @Test
    void shouldExitAtOnceOnASecondSigtermWhileDraining() throws Exception {
        broker = BrokerProcess.start(dir, Map.of("COURIER_SHUTDOWN_DRAIN_TIMEOUT", "1m"));
        CountDownLatch started = new CountDownLatch(1);
        worker = Worker.start(broker.clientConfig(), "stuck", request -> {
            started.countDown();
            release.await(50, TimeUnit.SECONDS);
            return request;
        });
        await("worker registered").atMost(ofSeconds(10)).until(worker::isConnected);
        client = Client.connect(broker.clientConfig());
        client.request("stuck", Message.of("x"), PATIENT);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        broker.sigterm();
        await("draining, past the repeat window").pollDelay(ofMillis(700)).atMost(ofSeconds(10))
                .until(() -> broker.stderrContains("broker draining"));
        long begin = System.nanoTime();
        broker.sigterm();   // the operator insists

        assertThat(broker.process().waitFor(5, TimeUnit.SECONDS)).as("halted at once").isTrue();
        assertThat(broker.process().exitValue()).as(broker.toString()).isEqualTo(143);
        assertThat((System.nanoTime() - begin) / 1_000_000).as("ms to exit after the second signal")
                .isLessThan(5_000);
        assertThat(broker.stderr()).anyMatch(line -> line.contains("second stop signal, exiting at once"));
    }

    @Test
    void shouldApplyAnEditedConfigFileAndKeepItWhenTheNextEditIsInvalid() throws Exception {
        Path file = Files.writeString(dir.resolve("courier.yaml"), "requests:\n  unknownServiceWait: 1m\n");
        broker = BrokerProcess.start(dir, Map.of(), "--config", file.toString());
        client = Client.connect(broker.clientConfig());

        Files.writeString(file, "requests:\n  unknownServiceWait: 0ms\n");
        await("UNKNOWN_SERVICE at once after the reload").atMost(ofSeconds(20))
                .until(() -> failsFastWithUnknownService(client));
        assertThat(broker.stdout()).anyMatch(line -> line.startsWith("config reloaded (file changed): applied"
                + " requests.unknownServiceWait"));

        Files.writeString(file, "requests:\n  unknownServiceWait: 0ms\nheartbeat:\n  liveness: 0\n");
        await("reload rejected in the log").atMost(ofSeconds(20))
                .until(() -> broker.stderrContains("config reload rejected"));

        assertThat(broker.stderr()).filteredOn(line -> line.contains("config reload rejected")).singleElement()
                .asString().contains("heartbeat.liveness: must be >= 1, got 0").contains("WARN");
        assertThat(broker.process().isAlive()).as("still running").isTrue();
        assertThat(failsFastWithUnknownService(client)).as("the last good config stays in force").isTrue();
    }

    @Test
    void shouldReloadOnSighup() throws Exception {
        broker = BrokerProcess.start(dir, Map.of());
        Assumptions.assumeTrue(broker.stdoutContains("SIGHUP reloads the config"),
                "SIGHUP is ignored in this process (inherited from the test runner)");

        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-HUP", Long.toString(broker.process().pid())).inheritIO().start();
        } catch (IOException e) {
            Assumptions.abort("no kill command: " + e);
            return;
        }
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();

        await("reload logged").atMost(ofSeconds(20))
                .until(() -> broker.stderrContains("config reload requested trigger=SIGHUP")
                        && broker.stderrContains("config reloaded applied=[]"));
        assertThat(broker.process().isAlive()).isTrue();
    }

    @Test
    void shouldLogJsonLinesCarryingTheTraceIdOfTheRequest() throws Exception {
        broker = BrokerProcess.start(dir, Map.of(), "--log-format", "json", "--log-level", "TRACE");
        worker = Worker.start(broker.clientConfig(), "echo", request -> request);
        await("worker registered").atMost(ofSeconds(10)).until(worker::isConnected);
        client = Client.connect(broker.clientConfig());
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String payload = "payload-7f3e9c";

        Message reply = client.request("echo", Message.of(payload)
                .withHeader(Message.TRACEPARENT, "00-" + traceId + "-00f067aa0ba902b7-01"), PATIENT)
                .get(10, TimeUnit.SECONDS);
        assertThat(reply.bodyAsString()).isEqualTo(payload);
        await("trace lines").atMost(ofSeconds(10)).until(() -> broker.stderrContains(traceId));
        broker.stopAndDrainOutput();

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : broker.stderr()) {
            JsonNode node = json.readTree(line);   // fails the test on a line that is not JSON
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            lines.add(node);
        }
        assertThat(lines).anyMatch(node -> node.path("formattedMessage").asText().contains("broker started"));
        List<JsonNode> traced = lines.stream()
                .filter(node -> node.path("kvpList").findValuesAsText("traceId").contains(traceId)).toList();
        assertThat(traced).as("lines with the trace id").isNotEmpty()
                .anyMatch(node -> node.path("formattedMessage").asText().startsWith("request received service=echo"))
                .allMatch(node -> node.path("level").asText().equals("TRACE")
                        || node.path("level").asText().equals("DEBUG"));
        assertThat(String.join("\n", broker.stderr())).as("payloads are never logged").doesNotContain(payload);
    }

    /** One request to a service nobody serves: true when it fails with UNKNOWN_SERVICE within 2 seconds. */
    private static boolean failsFastWithUnknownService(Client client) {
        Outcome outcome = Outcome.of(client.request("nobody", Message.of("x"), RequestOptions.of(ofSeconds(20), 0)),
                ofSeconds(2));
        return outcome.reason() == Reason.UNKNOWN_SERVICE;
    }

    /** How a request ended within a bound: a reply, a {@link CourierException} reason, or still pending. */
    private record Outcome(boolean ok, Reason reason, String detail) {
        static Outcome of(CompletableFuture<Message> request, Duration within) {
            try {
                request.get(within.toMillis(), TimeUnit.MILLISECONDS);
                return new Outcome(true, null, "reply");
            } catch (ExecutionException e) {
                return e.getCause() instanceof CourierException c ? new Outcome(false, c.reason(), c.getMessage())
                        : new Outcome(false, null, e.getCause().toString());
            } catch (TimeoutException e) {
                return new Outcome(false, null, "no answer within " + within.toMillis() + "ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, null, "interrupted");
            }
        }
    }

    /**
     * A {@code courier broker} JVM on ephemeral loopback ports, with its stdout and stderr collected line by line
     * on two daemon threads. Uses the CLI's own logback.xml (this module's logback-test.xml is on the classpath).
     */
    private static final class BrokerProcess {
        private static final Pattern FRONTEND = Pattern.compile("^frontend +(tcp://\\S+)$");

        private final Process process;
        private final List<String> stdout = new CopyOnWriteArrayList<>();
        private final List<String> stderr = new CopyOnWriteArrayList<>();
        private final Thread outReader;
        private final Thread errReader;

        private BrokerProcess(Process process) {
            this.process = process;
            this.outReader = pump(process.getInputStream(), stdout, "stdout");
            this.errReader = pump(process.getErrorStream(), stderr, "stderr");
        }

        static BrokerProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=logback.xml",
                    "-cp", System.getProperty("java.class.path"),
                    "io.courier.cli.Courier", "broker",
                    "--frontend", ANY, "--publish", ANY, "--subscribe", ANY, "--http", "127.0.0.1:0",
                    "--data", dir.resolve("data").toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("COURIER_"));
            builder.environment().putAll(env);
            BrokerProcess broker = new BrokerProcess(builder.start());
            try {
                await("broker started").atMost(START)
                        .until(() -> broker.stdoutContains("broker running") || !broker.process.isAlive());
            } catch (RuntimeException | AssertionError e) {
                broker.destroy();
                throw new AssertionError("broker did not start: " + broker, e);
            }
            if (!broker.process.isAlive()) {
                throw new AssertionError("broker exited at start: " + broker);
            }
            return broker;
        }

        private static Thread pump(InputStream stream, List<String> into, String name) {
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream,
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        into.add(line);
                    }
                } catch (IOException e) {
                    into.add("(" + name + " read failed: " + e + ")");
                }
            }, "broker-" + name);
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        Process process() {
            return process;
        }

        ClientConfig clientConfig() {
            return ClientConfig.of(frontend());
        }

        String frontend() {
            for (String line : stdout) {
                Matcher m = FRONTEND.matcher(line);
                if (m.matches()) {
                    return m.group(1);
                }
            }
            throw new AssertionError("no frontend line on stdout: " + this);
        }

        List<String> stdout() {
            return List.copyOf(stdout);
        }

        List<String> stderr() {
            return List.copyOf(stderr);
        }

        boolean stdoutContains(String text) {
            return stdout.stream().anyMatch(line -> line.contains(text));
        }

        boolean stderrContains(String text) {
            return stderr.stream().anyMatch(line -> line.contains(text));
        }

        /**
         * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} would also close the pipes,
         * losing what the broker writes while it stops.
         */
        void sigterm() {
            process.toHandle().destroy();
        }

        /** SIGTERM, then waits (bounded) for the exit and for both streams to be read to their end. */
        void stopAndDrainOutput() throws InterruptedException {
            sigterm();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("broker exited").isTrue();
            outReader.join(5_000);
            errReader.join(5_000);
        }

        /** SIGTERM; SIGKILL if it has not exited 20 seconds later. Idempotent. */
        void destroy() {
            if (!process.isAlive()) {
                return;
            }
            sigterm();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        public String toString() {
            return "courier broker pid " + process.pid() + (process.isAlive() ? " (running)"
                    : " (exit " + process.exitValue() + ")") + "\n--- stdout\n" + String.join("\n", stdout)
                    + "\n--- stderr\n" + String.join("\n", stderr);
        }
    }
}
