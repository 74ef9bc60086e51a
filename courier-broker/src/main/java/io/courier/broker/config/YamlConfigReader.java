package io.courier.broker.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.courier.core.ConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML config file into a tree (Jackson) and flattens it to dotted keys with each value's text exactly as
 * written. Checks the file and the shape of the tree, not the keys or values. Stateless, any thread.
 */
final class YamlConfigReader {
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS) // `http: off` stays "off", not false
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);
    /** The one section whose values may be YAML lists: the access rules' patterns. */
    private static final String LIST_SECTION = "security.rules.";

    private YamlConfigReader() {
    }

    /**
     * Returns the settings in {@code file} as dotted key to text, in file order. Nested sections and dotted names
     * ({@code heartbeat: {interval: 2s}} or {@code heartbeat.interval: 2s}) give the same key; {@code key:} with
     * no value, or an empty mapping {@code key: {}}, gives an empty text.
     *
     * @throws ConfigException in one line naming the file: missing, unreadable, not YAML, or not a mapping
     */
    static Map<String, String> read(Path file) {
        String shown = file.toAbsolutePath().normalize().toString();
        JsonNode root = parse(file, shown);
        Map<String, String> settings = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return settings; // an empty file, or only comments: nothing to change
        }
        if (!root.isObject()) {
            throw new ConfigException(shown + ": expected settings as 'key: value' lines, got " + kind(root));
        }
        flatten("", root, settings, shown);
        return settings;
    }

    private static JsonNode parse(Path file, String shown) {
        if (Files.isDirectory(file)) {
            throw new ConfigException("config file " + shown + " is a directory");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + shown + " not found", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException("config file " + shown + " is not readable: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + shown + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException("config file " + shown + " cannot be read: " + e, e);
        }
        try (JsonParser parser = new RawScalars(YAML.createParser(text))) {
            JsonNode root = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ConfigException(shown + ": holds more than one YAML document (---); keep one");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ConfigException(shown + ": not valid YAML" + where(e) + ": " + problem(e), e);
        } catch (IOException e) {
            throw new ConfigException("config file " + shown + " cannot be read: " + e, e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into, String shown) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject() && !value.isEmpty()) {
                flatten(key + ".", value, into, shown);
            } else if (value.isArray() && key.startsWith(LIST_SECTION)) {
                if (into.putIfAbsent(key, joined(key, value, shown)) != null) {
                    throw new ConfigException(key + ": given twice in " + shown);
                }
            } else if (value.isArray()) {
                throw new ConfigException(key + ": a list is not allowed here in " + shown + "; give one value");
            } else if (into.putIfAbsent(key, value.isNull() || value.isObject() ? "" : value.asText()) != null) {
                throw new ConfigException(key + ": given twice in " + shown);
            }
        }
    }

    /** A list of names (access rules) as the comma-separated text the loader reads; empty: {@code none}. */
    private static String joined(String key, JsonNode list, String shown) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isValueNode() || item.isNull()) {
                throw new ConfigException(key + ": expected a list of names in " + shown + ", got " + item);
            }
            items.add(item.asText());
        }
        return items.isEmpty() ? "none" : String.join(",", items);
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "a list" : "a single value '" + node.asText() + "'";
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** SnakeYAML's messages span lines (context, marks, a source excerpt): keep only the statements. */
    private static String problem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        String statements = original.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining(": "));
        return statements.isEmpty() ? original.strip() : statements;
    }

    /**
     * Hands every scalar to the tree as a string with the text as written, so {@code 010} stays "010" (not octal
     * 8) and {@code 1.50} stays "1.50"; the loader then parses each key's value its own way. Rejects aliases,
     * which Jackson would otherwise read as the anchor's name.
     */
    private static final class RawScalars extends JsonParserDelegate {
        RawScalars(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = delegate.nextToken();
            if (delegate instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                throw new JsonParseException(this, "aliases (*" + yaml.getText() + ") are not supported");
            }
            return asText(token);
        }

        @Override
        public JsonToken currentToken() {
            return asText(delegate.currentToken());
        }

        @Override
        public int currentTokenId() {
            JsonToken token = currentToken();
            return token == null ? JsonTokenId.ID_NO_TOKEN : token.id();
        }

        @Override
        public boolean hasToken(JsonToken token) {
            return currentToken() == token;
        }

        @Override
        public boolean hasTokenId(int id) {
            return currentTokenId() == id;
        }

        @Override
        public String nextTextValue() throws IOException {
            return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
        }

        private static JsonToken asText(JsonToken token) {
            boolean typed = token != null && token.isScalarValue() && token != JsonToken.VALUE_NULL;
            return typed ? JsonToken.VALUE_STRING : token;
        }
    }
}
