package dev.sprox.telemetry;

/** The root log level (changed by reload) and whether each request gets an access-log line. */
public record LoggingSettings(String level, boolean accessLog) {

    public static final LoggingSettings DEFAULT = new LoggingSettings("info", true);
}
