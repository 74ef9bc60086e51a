package io.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.Message;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageLinesTest {
    @Test
    void shouldMakeAMessageWithEveryHeader() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "abc");
        headers.put("user", "ann");

        Message message = MessageLines.message("hello", headers);

        assertThat(message.bodyAsString()).isEqualTo("hello");
        assertThat(message.header("trace")).isEqualTo("abc");
        assertThat(message.header("user")).isEqualTo("ann");
        assertThat(MessageLines.message("bare", Map.of()).bodyAsString()).isEqualTo("bare");
    }

    @Test
    void shouldEndEachPrintedBodyWithOneNewline() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);

        MessageLines.print(out, "", "one");
        MessageLines.print(out, "7 1 ", "two\n");
        MessageLines.print(out, "a.b 3 ", "");
        out.flush();

        assertThat(text.toString()).isEqualTo("one\n7 1 two\na.b 3 \n");
    }
}
