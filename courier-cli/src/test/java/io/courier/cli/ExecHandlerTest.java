package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.client.Message;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The --exec handler on its own: POSIX shell commands. */
@Timeout(10)
@DisabledOnOs(OS.WINDOWS)
class ExecHandlerTest {
    private ExecHandler handler;

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
    }

    @Test
    void shouldPipeTheBodyThroughTheCommand() throws Exception {
        handler = new ExecHandler("tr a-z A-Z", Duration.ofSeconds(5));

        assertThat(handler.handle(Message.of("hello")).bodyAsString()).isEqualTo("HELLO");
    }

    @Test
    void shouldFailWithTheCommandsStderrWhenItExitsNonZero() {
        handler = new ExecHandler("echo 'disk full' >&2; exit 3", Duration.ofSeconds(5));

        assertThatThrownBy(() -> handler.handle(Message.of("x")))
                .isInstanceOf(IOException.class).hasMessage("command exited with 3: disk full");
    }

    @Test
    void shouldKillACommandThatRunsPastItsTimeout() {
        handler = new ExecHandler("sleep 30", Duration.ofMillis(200));

        assertThatThrownBy(() -> handler.handle(Message.of("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("timed out after 200ms");
    }

    @Test
    void shouldHandleABodyLargerThanThePipeBuffers() throws Exception {
        handler = new ExecHandler("cat", Duration.ofSeconds(5));
        String big = "x".repeat(1 << 20);

        assertThat(handler.handle(Message.of(big)).bodyAsString()).isEqualTo(big);
    }
}
