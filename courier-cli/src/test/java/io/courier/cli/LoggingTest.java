package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.broker.config.BrokerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker's log output: text or JSON lines on stderr, both carrying key-value pairs; levels change live. */
@Timeout(10)
class LoggingTest {
    private static final Logger LOG = LoggerFactory.getLogger("io.courier.broker.service.RequestRouter");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void captureStderr() {
        stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(stderr);
    }

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheTraceId() throws Exception {
        Logging logging = Logging.take(new BrokerConfig.Logging("TRACE", "json"));
        LOG.atTrace().addKeyValue("traceId", TRACE_ID).log("request received service={}", "echo");
        LOG.warn("a \"quoted\" line\nwith two lines", new IllegalStateException("boom"));
        logging.close();

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.path("level").asText()).isEqualTo("TRACE");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("request received service=echo");
        assertThat(first.path("kvpList").get(0).path("traceId").asText()).isEqualTo(TRACE_ID);
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.path("formattedMessage").asText()).isEqualTo("a \"quoted\" line\nwith two lines");
        assertThat(second.path("throwable").path("message").asText()).isEqualTo("boom");
    }

    @Test
    void shouldPutKeyValuePairsAfterTheMessageInText() {
        Logging logging = Logging.take(new BrokerConfig.Logging("DEBUG", "text"));
        LOG.atDebug().addKeyValue("traceId", TRACE_ID).log("request expired in queue service={}", "echo");
        LOG.debug("no pairs here");
        logging.close();

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" DEBUG ").endsWith("request expired in queue service=echo traceId="
                + TRACE_ID);
        assertThat(lines.get(1)).endsWith("no pairs here");
    }

    @Test
    void shouldChangeTheLevelAndFormatLive() {
        try (Logging logging = Logging.take(new BrokerConfig.Logging("INFO", "text"))) {
            LOG.debug("hidden at INFO");
            logging.apply(new BrokerConfig.Logging("DEBUG", "json"));
            LOG.debug("shown at DEBUG");
            logging.apply(new BrokerConfig.Logging("WARN", "json"));
            LOG.info("hidden at WARN");
        }

        assertThat(lines()).singleElement().asString().startsWith("{").contains("shown at DEBUG");
    }

    @Test
    void shouldPutBackTheOutputItReplaced() {
        ch.qos.logback.classic.Logger courier = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.courier");
        ch.qos.logback.classic.Level before = courier.getLevel();

        Logging.take(new BrokerConfig.Logging("TRACE", "json")).close();

        assertThat(courier.getLevel()).isEqualTo(before);
        assertThat(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .getAppender("STDERR")).as("logback.xml's appender").isNotNull();
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }
}
