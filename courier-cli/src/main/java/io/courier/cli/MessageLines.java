package io.courier.cli;

import io.courier.client.Message;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Messages as the commands read and print them, one a line: a line read (or the BODY argument) becomes a message
 * with the command's {@code --header}s, and a body printed ends with a newline. Stateless.
 */
final class MessageLines {
    private MessageLines() {
    }

    /** A message of {@code text} (UTF-8) with {@code headers}, in their order. */
    static Message message(String text, Map<String, String> headers) {
        Message m = Message.of(text);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            m = m.withHeader(header.getKey(), header.getValue());
        }
        return m;
    }

    /** Prints {@code prefix} and {@code text}, then a newline unless the text ends with one; does not flush. */
    static void print(PrintWriter out, String prefix, String text) {
        out.print(prefix);
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
    }
}
