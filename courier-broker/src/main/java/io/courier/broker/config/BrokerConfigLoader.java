package io.courier.broker.config;

import io.courier.broker.queue.QueueSettings;
import io.courier.broker.security.SecurityConfig;
import io.courier.core.ConfigException;
import io.courier.core.Durations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds a {@link BrokerConfig} from, in rising precedence: the embedded defaults, a YAML file, {@code COURIER_*}
 * environment variables and explicit overrides (CLI flags), all named by the same dotted keys
 * ({@code endpoints.frontend}, {@code heartbeat.interval}, ...). Every key is documented in docs/configuration.md.
 * Stateless; any thread.
 */
public final class BrokerConfigLoader {
    /** The data directory when no layer gives one: {@code data}, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    private static final String ENV_PREFIX = "COURIER_";
    /** Read by the launchers, not by the broker; tolerated so that setting them is not an unknown-key error. */
    private static final Set<String> LAUNCHER_ENV = Set.of("COURIER_HOME", "COURIER_OPTS");
    /** Variables that look like retention rules, which only the file can give. */
    private static final String RETENTION_ENV = ENV_PREFIX + "STREAMS_RETENTION";
    /** Variables that look like per-queue settings, which only the file can give. */
    private static final String QUEUES_ENV = ENV_PREFIX + "QUEUES_";
    /** Variables that look like access rules, which only the file can give. */
    private static final String RULES_ENV = ENV_PREFIX + "SECURITY_RULES";

    /** Every key, in document order, with how to print its current value in the format the loader reads. */
    private static final Map<String, Function<BrokerConfig, String>> KEYS = keyTable();
    private static final Map<String, String> KEY_BY_ENV = KEYS.keySet().stream()
            .collect(Collectors.toUnmodifiableMap(BrokerConfigLoader::envName, key -> key));

    private BrokerConfigLoader() {
    }

    /**
     * Loads the settings.
     *
     * @param file      a YAML file, or null for none
     * @param env       the environment (normally {@code System.getenv()}); only {@code COURIER_*} keys are read
     * @param overrides dotted keys to values, highest precedence (the CLI maps its flags here); a null value
     *                  means "not given". Rule keys here change the file's rule of that pattern, or add one after
     *                  the file's rules, in the map's order
     * @throws io.courier.core.ConfigException naming the key and the problem, or the file and the problem: an
     *                                             unreadable or invalid file, an unknown key in the file or an
     *                                             unknown {@code COURIER_*} variable, a value that does not parse
     *                                             or is out of range
     * @throws IllegalArgumentException            when {@code overrides} holds a key that is neither in
     *                                             {@link #keys()} nor a rule key
     *                                             ({@code streams.retention.<pattern>.maxAge}, ...)
     */
    public static BrokerConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(overrides, "overrides");
        Map<String, String> values = new HashMap<>();
        Map<String, Map<String, String>> rules = new LinkedHashMap<>(); // pattern -> rule key -> text, file order
        Map<String, Map<String, String>> queues = new TreeMap<>();      // queue name -> queue key -> text
        Map<String, String> access = new LinkedHashMap<>();             // access rule key -> text
        if (file != null) {
            values.putAll(fromFile(file, rules, queues, access));
        }
        values.putAll(fromEnv(env));
        values.putAll(fromOverrides(overrides, rules, queues, access));
        return build(values, rules).withStore(QueueKeys.store(values, StoreConfig.defaults()))
                .withQueues(QueueKeys.queues(values, queues, QueueSettings.defaults()))
                .withSecurity(SecurityKeys.security(values, SecurityConfig.defaults())
                        .withRules(RulesKeys.rules(access)));
    }

    /**
     * Every key with a single value, in the order of docs/configuration.md: {@code endpoints.frontend} ...
     * {@code streams.maxStreams}. The rule keys of {@link #patternKeys()} come on top.
     */
    public static Set<String> keys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(KEYS.keySet()));
    }

    /**
     * The keys that hold a pattern, each as docs/configuration.md names it in one row:
     * {@code streams.retention.<pattern>.*}, that is {@code streams.retention.<pattern>.maxMessages},
     * {@code .maxBytes} and {@code .maxAge}. They are read from the file and from overrides, in order, never from
     * the environment, and have no default: with none given there are no rules.
     */
    public static Set<String> patternKeys() {
        return Set.of(RetentionKeys.DOC_KEY, QueueKeys.DOC_KEY, RulesKeys.DOC_KEY);
    }

    /**
     * The environment variable for a key, {@code COURIER_} and the key in upper snake case:
     * {@code requests.unknownServiceWait} is {@code COURIER_REQUESTS_UNKNOWN_SERVICE_WAIT}.
     *
     * @throws IllegalArgumentException when {@code key} is not in {@link #keys()}
     */
    public static String envName(String key) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown config key '" + key + "'");
        }
        return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code COURIER_*} variables that are not settings (the launchers read them) and so are not errors. */
    public static Set<String> launcherEnv() {
        return LAUNCHER_ENV;
    }

    /**
     * The settings of {@code config} by key, as text in the formats the loader reads ({@code 2s}, {@code 16MiB}):
     * for a startup summary. Every key of {@link #keys()}, then the three keys of each retention rule in rule
     * order. Loading this map as overrides gives back an equal config.
     */
    public static Map<String, String> describe(BrokerConfig config) {
        Map<String, String> described = new LinkedHashMap<>();
        KEYS.forEach((key, printer) -> described.put(key, printer.apply(config)));
        RetentionKeys.describe(config, described);
        QueueKeys.describe(config, described);
        RulesKeys.describe(config, described);
        return Collections.unmodifiableMap(described);
    }

    private static Map<String, Function<BrokerConfig, String>> keyTable() {
        Map<String, Function<BrokerConfig, String>> keys = new LinkedHashMap<>();
        keys.put("endpoints.frontend", c -> c.endpoints().frontend());
        keys.put("endpoints.publish", c -> c.endpoints().publish());
        keys.put("endpoints.subscribe", c -> c.endpoints().subscribe());
        keys.put("endpoints.http", c -> c.endpoints().http());
        keys.put("dataDir", c -> c.dataDir().toString());
        keys.put("heartbeat.interval", c -> Durations.format(c.heartbeat().interval()));
        keys.put("heartbeat.liveness", c -> Integer.toString(c.heartbeat().liveness()));
        keys.put("requests.defaultTimeout", c -> Durations.format(c.requests().defaultTimeout()));
        keys.put("requests.unknownServiceWait", c -> Durations.format(c.requests().unknownServiceWait()));
        keys.put("requests.maxQueuedPerService", c -> Integer.toString(c.requests().maxQueuedPerService()));
        keys.put("limits.maxMessageBytes", c -> ConfigValues.formatSize(c.limits().maxMessageBytes()));
        keys.put("limits.maxFrames", c -> Integer.toString(c.limits().maxFrames()));
        keys.put("limits.maxConnections", c -> Integer.toString(c.limits().maxConnections()));
        keys.put("limits.handshakeTimeout", c -> Durations.format(c.limits().handshakeTimeout()));
        keys.put("shutdown.drainTimeout", c -> Durations.format(c.shutdown().drainTimeout()));
        keys.put("log.level", c -> c.log().level());
        keys.put("log.format", c -> c.log().format());
        keys.put("streams.maxMessages", c -> Integer.toString(c.streams().maxMessages()));
        keys.put("streams.maxBytes", c -> ConfigValues.formatSize(c.streams().maxBytes()));
        keys.put("streams.maxAge", c -> Durations.format(c.streams().maxAge()));
        keys.put("streams.maxStreams", c -> Integer.toString(c.streams().maxStreams()));
        QueueKeys.addKeys(keys);
        SecurityKeys.addKeys(keys);
        return Collections.unmodifiableMap(keys);
    }

    /** The single-value keys of the file; its rule keys go to {@code rules}, in file order. */
    private static Map<String, String> fromFile(Path file, Map<String, Map<String, String>> rules,
                                                Map<String, Map<String, String>> queues, Map<String, String> access) {
        String shown = file.toAbsolutePath().normalize().toString();
        Map<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> setting : YamlConfigReader.read(file).entrySet()) {
            String key = setting.getKey();
            String text = setting.getValue();
            if (KEYS.containsKey(key)) {
                settings.put(key, text);
            } else if (text.isEmpty() && isSection(key)) {
                continue; // a section with nothing under it (its keys commented out): nothing to change
            } else if (RetentionKeys.isRetention(key)) {
                RetentionKeys.RuleKey rule = RetentionKeys.parse(key)
                        .orElseThrow(() -> RetentionKeys.notARuleKey(key, text, shown));
                rules.computeIfAbsent(rule.pattern(), pattern -> new HashMap<>()).put(key, text);
            } else if (RulesKeys.isRule(key)) {
                RulesKeys.parse(key).orElseThrow(() -> RulesKeys.notARuleKey(key, text, shown));
                access.put(key, text);
            } else if (QueueKeys.isQueue(key)) {
                QueueKeys.QueueKey queue = QueueKeys.parse(key)
                        .orElseThrow(() -> QueueKeys.notAQueueKey(key, text, shown));
                queues.computeIfAbsent(queue.queue(), name -> new HashMap<>()).put(key, text);
            } else {
                throw unknownInFile(key, shown);
            }
        }
        return settings;
    }

    private static boolean isSection(String key) {
        return key.equals(RetentionKeys.SECTION) || key.equals(RulesKeys.SECTION)
                || KEYS.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
    }

    private static ConfigException unknownInFile(String key, String shown) {
        String members = KEYS.keySet().stream().filter(known -> known.startsWith(key + "."))
                .collect(Collectors.joining(", "));
        if (!members.isEmpty()) {
            return new ConfigException(key + ": is a section in " + shown + "; nest its keys under it (" + members
                    + ")");
        }
        for (String known : KEYS.keySet()) {
            if (key.startsWith(known + ".")) {
                return new ConfigException(known + ": expected a single value in " + shown + ", got a mapping");
            }
        }
        return new ConfigException("unknown key '" + key + "' in " + shown + hint(key, KEYS.keySet()));
    }

    private static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX) || LAUNCHER_ENV.contains(name)) {
                continue;
            }
            String key = KEY_BY_ENV.get(name);
            if (key == null && name.startsWith(QUEUES_ENV)) {
                throw new ConfigException("unknown environment variable " + name + ": the settings of one queue ("
                        + QueueKeys.DOC_KEY + ") can only be given in the config file; the defaults of every queue"
                        + " are COURIER_QUEUES_DEFAULTS_*" + hint(name, new TreeMap<>(KEY_BY_ENV).keySet()));
            }
            if (key == null && name.startsWith(RULES_ENV)) {
                throw new ConfigException("unknown environment variable " + name + ": access rules ("
                        + RulesKeys.DOC_KEY + ") can only be given in the config file");
            }
            if (key == null && name.startsWith(RETENTION_ENV)) {
                throw new ConfigException("unknown environment variable " + name + ": retention rules ("
                        + RetentionKeys.DOC_KEY + ") can only be given in the config file");
            }
            if (key == null) {
                throw new ConfigException("unknown environment variable " + name
                        + hint(name, new TreeMap<>(KEY_BY_ENV).keySet()));
            }
            settings.put(key, variable.getValue() == null ? "" : variable.getValue());
        }
        return settings;
    }

    /** The single-value keys of {@code overrides}; its rule keys go to {@code rules}, after the file's. */
    private static Map<String, String> fromOverrides(Map<String, String> overrides,
                                                     Map<String, Map<String, String>> rules,
                                                     Map<String, Map<String, String>> queues,
                                                     Map<String, String> access) {
        Map<String, String> settings = new HashMap<>();
        overrides.forEach((key, value) -> {
            if (RulesKeys.parse(key).isPresent()) {
                if (value != null) {
                    access.put(key, value);
                }
                return;
            }
            Optional<RetentionKeys.RuleKey> rule = RetentionKeys.parse(key);
            if (rule.isPresent()) {
                if (value != null) {
                    rules.computeIfAbsent(rule.get().pattern(), pattern -> new HashMap<>()).put(key, value);
                }
                return;
            }
            Optional<QueueKeys.QueueKey> queue = QueueKeys.parse(key);
            if (queue.isPresent()) {
                if (value != null) {
                    queues.computeIfAbsent(queue.get().queue(), name -> new HashMap<>()).put(key, value);
                }
                return;
            }
            if (!KEYS.containsKey(key)) {
                throw new IllegalArgumentException("unknown config key '" + key + "' in overrides" + hint(key,
                        KEYS.keySet()) + "; known keys: " + KEYS.keySet());
            }
            if (value != null) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    private static String hint(String unknown, Set<String> known) {
        return Suggestions.closest(unknown, known).map(name -> " (did you mean " + name + "?)")
                .orElse(" (every key is listed in docs/configuration.md)");
    }

    private static BrokerConfig build(Map<String, String> values, Map<String, Map<String, String>> rules) {
        BrokerConfig d = BrokerConfig.defaults(DEFAULT_DATA_DIR);
        BrokerConfig.Bind endpoints = new BrokerConfig.Bind(
                value(values, "endpoints.frontend", (key, text) -> text, d.endpoints().frontend()),
                value(values, "endpoints.publish", (key, text) -> text, d.endpoints().publish()),
                value(values, "endpoints.subscribe", (key, text) -> text, d.endpoints().subscribe()),
                value(values, "endpoints.http", (key, text) -> text, d.endpoints().http()));
        Path dataDir = value(values, "dataDir", ConfigValues::path, d.dataDir());
        BrokerConfig.Heartbeat heartbeat = new BrokerConfig.Heartbeat(
                value(values, "heartbeat.interval", ConfigValues::duration, d.heartbeat().interval()),
                value(values, "heartbeat.liveness", ConfigValues::integer, d.heartbeat().liveness()));
        BrokerConfig.Requests requests = new BrokerConfig.Requests(
                value(values, "requests.defaultTimeout", ConfigValues::duration, d.requests().defaultTimeout()),
                value(values, "requests.unknownServiceWait", ConfigValues::duration,
                        d.requests().unknownServiceWait()),
                value(values, "requests.maxQueuedPerService", ConfigValues::integer,
                        d.requests().maxQueuedPerService()));
        BrokerConfig.Limits limits = new BrokerConfig.Limits(
                value(values, "limits.maxMessageBytes", ConfigValues::size, d.limits().maxMessageBytes()),
                value(values, "limits.maxFrames", ConfigValues::integer, d.limits().maxFrames()),
                value(values, "limits.maxConnections", ConfigValues::integer, d.limits().maxConnections()),
                value(values, "limits.handshakeTimeout", ConfigValues::duration, d.limits().handshakeTimeout()));
        BrokerConfig.Shutdown shutdown = new BrokerConfig.Shutdown(
                value(values, "shutdown.drainTimeout", ConfigValues::duration, d.shutdown().drainTimeout()));
        BrokerConfig.Logging log = new BrokerConfig.Logging(
                value(values, "log.level", (key, text) -> text, d.log().level()),
                value(values, "log.format", (key, text) -> text, d.log().format()));
        return new BrokerConfig(endpoints, dataDir, heartbeat, requests, limits, shutdown, log,
                streams(values, rules, d.streams()));
    }

    /** The {@code streams.*} settings; a rule takes the {@code streams.*} value of each setting it leaves out. */
    private static BrokerConfig.Streams streams(Map<String, String> values, Map<String, Map<String, String>> rules,
                                                BrokerConfig.Streams d) {
        BrokerConfig.Streams streams = new BrokerConfig.Streams(
                value(values, "streams.maxMessages", ConfigValues::integer, d.maxMessages()),
                value(values, "streams.maxBytes", BrokerConfigLoader::streamBytes, d.maxBytes()),
                value(values, "streams.maxAge", ConfigValues::duration, d.maxAge()),
                value(values, "streams.maxStreams", ConfigValues::integer, d.maxStreams()),
                List.of());
        List<BrokerConfig.RetentionRule> retention = new ArrayList<>();
        rules.forEach((pattern, texts) -> retention.add(new BrokerConfig.RetentionRule(pattern,
                value(texts, RetentionKeys.key(pattern, "maxMessages"), ConfigValues::integer, streams.maxMessages()),
                value(texts, RetentionKeys.key(pattern, "maxBytes"), BrokerConfigLoader::streamBytes,
                        streams.maxBytes()),
                value(texts, RetentionKeys.key(pattern, "maxAge"), ConfigValues::duration, streams.maxAge()),
                value(texts, RetentionKeys.key(pattern, "durable"), ConfigValues::bool, false))));
        return streams.withRetention(retention);
    }

    private static long streamBytes(String key, String text) {
        return ConfigValues.size(key, text, BrokerConfig.Streams.MAX_BYTES);
    }

    private static <T> T value(Map<String, String> values, String key, BiFunction<String, String, T> parse,
                               T fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            String instead = RetentionKeys.parse(key).map(rule -> "to use streams." + rule.setting())
                    .orElseGet(() -> "for the default " + describe(BrokerConfig.defaults(DEFAULT_DATA_DIR)).get(key));
            throw new ConfigException(key + ": empty value (give one, or leave it out " + instead + ")");
        }
        return parse.apply(key, trimmed);
    }
}
