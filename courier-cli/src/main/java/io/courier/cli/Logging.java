package io.courier.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/**
 * Log levels the commands choose: logback.xml sets {@code io.courier} to WARN (or {@code -Dcourier.log.level}),
 * and the broker raises it to INFO so lifecycle lines show, unless the user chose a level.
 */
final class Logging {
    static final String LEVEL_PROPERTY = "courier.log.level";

    private Logging() {
    }

    /** Sets {@code io.courier} to INFO unless {@code -Dcourier.log.level} was given; returns the undo. */
    static Runnable courierAtInfo() {
        if (System.getProperty(LEVEL_PROPERTY) != null
                || !(LoggerFactory.getLogger("io.courier") instanceof ch.qos.logback.classic.Logger logger)) {
            return () -> { };
        }
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        return () -> logger.setLevel(previous);
    }
}
