package io.courier.core.certificate;

import io.courier.core.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lenient reader of ZPL (ZeroMQ RFC 4) as certificates use it: top-level names open sections, indented
 * {@code name = value} lines belong to the section above them. Comments start with {@code #}; values may be
 * quoted with {@code "} or {@code '}; after a bare value, a comment needs a space before its {@code #}, which is
 * also a Z85 digit. Deeper nesting is read into the enclosing section. Stateless.
 */
final class ZplReader {
    private ZplReader() {
    }

    /** Section name to its settings, in file order; errors name the file ({@code shown}) and the line. */
    static Map<String, Map<String, String>> parse(String shown, List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String line = raw.strip();
            if (i == 0 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = shown + ": line " + (i + 1);
            boolean indented = Character.isWhitespace(raw.charAt(0));
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (!name.matches("[A-Za-z0-9$\\-_@.&+/]+")) {
                throw new ConfigException(where + ": not a certificate line: expected 'name = \"value\"', got '"
                        + line + "'");
            }
            if (!indented) {
                if (eq >= 0) {
                    throw new ConfigException(where + ": '" + name + "' has a value outside any section");
                }
                current = sections.computeIfAbsent(name, key -> new LinkedHashMap<>());
                continue;
            }
            if (current == null) {
                throw new ConfigException(where + ": indented line before any section");
            }
            if (eq >= 0) {
                current.put(name, value(where, line.substring(eq + 1).strip()));
            }
        }
        return sections;
    }

    private static String value(String where, String text) {
        if (text.isEmpty()) {
            return "";
        }
        char first = text.charAt(0);
        if (first == '"' || first == '\'') {
            int end = text.indexOf(first, 1);
            if (end < 0) {
                throw new ConfigException(where + ": unterminated quoted value");
            }
            String rest = text.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new ConfigException(where + ": unexpected text after the quoted value: '" + rest + "'");
            }
            return text.substring(1, end);
        }
        String[] beforeComment = text.split("\\s+#", 2);   // '#' is a Z85 digit: a comment needs a space before
        return beforeComment[0].strip();
    }
}
