package io.courier.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.courier.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/**
 * The broker's log output, set from its {@code log.level} and {@code log.format} keys: lines on stderr, either
 * text (with the key-value pairs such as {@code traceId=...} after the message) or one JSON object per line
 * (Logback's {@link JsonEncoder}, key-value pairs in {@code kvpList}). Client commands keep logback.xml as it is.
 *
 * <p>{@link #take} replaces the root logger's appenders with one of its own and sets the {@code io.courier} level;
 * {@link #apply} changes both live (on reload); {@link #close()} puts back what was there. Thread-safe: a lock
 * orders {@code apply} (config watcher thread) and {@code close} (command thread). Does nothing when the SLF4J
 * backend is not Logback.
 */
final class Logging implements AutoCloseable {
    /** A JVM option that chooses the level of every command: {@code -Dcourier.log.level=DEBUG} (see logback.xml). */
    static final String LEVEL_PROPERTY = "courier.log.level";

    static final String TEXT_PATTERN =
            "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} %msg%replace( %kvp{NONE}){'^ $', ''}%n";
    private static final String COURIER = "io.courier";
    private static final Level OTHERS = Level.WARN;

    private final ReentrantLock lock = new ReentrantLock();
    private final LoggerContext context;
    private final ch.qos.logback.classic.Logger root;
    private final ch.qos.logback.classic.Logger courier;
    private final List<Appender<ILoggingEvent>> replaced = new ArrayList<>();
    private final Level rootBefore;
    private final Level courierBefore;
    /** Guarded by {@link #lock}. */
    private ConsoleAppender<ILoggingEvent> appender;
    private String format;
    private boolean closed;

    private Logging(LoggerContext context) {
        this.context = context;
        this.root = context == null ? null : context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        this.courier = context == null ? null : context.getLogger(COURIER);
        this.rootBefore = root == null ? null : root.getLevel();
        this.courierBefore = courier == null ? null : courier.getLevel();
    }

    /** Takes over the log output with {@code settings}; does nothing when the backend is not Logback. */
    static Logging take(BrokerConfig.Logging settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new Logging(null);
        }
        Logging logging = new Logging(context);
        for (Iterator<Appender<ILoggingEvent>> it = logging.root.iteratorForAppenders(); it.hasNext(); ) {
            logging.replaced.add(it.next());
        }
        logging.apply(settings);
        logging.replaced.forEach(logging.root::detachAppender);   // detached, not stopped: close() reattaches
        return logging;
    }

    /** Applies {@code settings} from any thread: a new format swaps the appender, a new level takes effect. */
    void apply(BrokerConfig.Logging settings) {
        if (context == null) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Level level = Level.toLevel(settings.level(), Level.INFO);
            courier.setLevel(level);
            root.setLevel(level.isGreaterOrEqual(OTHERS) ? level : OTHERS);
            if (!settings.format().equals(format)) {
                ConsoleAppender<ILoggingEvent> next = stderr(settings.format());
                root.addAppender(next);   // add, then remove: a line may show twice, but none is lost
                if (appender != null) {
                    root.detachAppender(appender);
                    appender.stop();
                }
                appender = next;
                format = settings.format();
            }
        } finally {
            lock.unlock();
        }
    }

    private ConsoleAppender<ILoggingEvent> stderr(String lineFormat) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("courier-stderr-" + lineFormat);
        console.setTarget("System.err");
        console.setEncoder(encoder(lineFormat));
        console.start();
        return console;
    }

    private Encoder<ILoggingEvent> encoder(String lineFormat) {
        if ("json".equals(lineFormat)) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);     // the template with {} placeholders: formattedMessage is the line
            json.setWithFormattedMessage(true);
            json.setWithArguments(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.setCharset(StandardCharsets.UTF_8);
        text.start();
        return text;
    }

    /** Puts back the appenders and levels found by {@link #take}. */
    @Override
    public void close() {
        if (context == null) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            replaced.forEach(root::addAppender);
            if (appender != null) {
                root.detachAppender(appender);
                appender.stop();
            }
            root.setLevel(rootBefore);
            courier.setLevel(courierBefore);
        } finally {
            lock.unlock();
        }
    }
}
