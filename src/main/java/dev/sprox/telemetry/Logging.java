package dev.sprox.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Routes java.util.logging (the JDK's HttpClient, for one) into logback, and applies the configured level. */
public final class Logging {
    private Logging() {}

    public static void install() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** Applied at start-up and on every reload, so a level change needs no restart. */
    public static void apply(LoggingSettings settings) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        }
    }
}
