package dev.sprox.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One flat JSON object per log line, for journald and Loki: fixed fields first ({@code timestamp},
 * {@code level}, {@code logger}, {@code message}), then the event's key-value pairs and MDC entries as
 * top-level fields, and a stack trace as one escaped {@code stack} field rather than many lines.
 * Written by hand, straight into bytes ({@link JsonBytes}), rather than through a JSON library: the access log runs
 * once per request, and this encoder was the largest cost of a small request.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NONE = new byte[0];
    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        var line = new JsonBytes(512);
        encode(event, line);
        return line.toByteArray();
    }

    /** Appends the event's line, newline included, to {@code json}. */
    void encode(ILoggingEvent event, JsonBytes json) {
        json.ascii("{\"timestamp\":\"").ascii(timestamp(event.getTimeStamp())).ascii('"');
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "message", event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                value(json.ascii(",\""), pair.key, pair.value);
            }
        }
        for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
            field(json, entry.getKey(), entry.getValue());
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(json, "stack", ThrowableProxyUtil.asString(thrown));
        }
        json.ascii("}\n");
    }

    private record Stamp(long millis, String text) {}

    private static void field(JsonBytes json, String key, String value) {
        json.ascii(",\"").escaped(key).ascii("\":");
        if (value == null) {
            json.ascii("null");
        } else {
            json.ascii('"').escaped(value).ascii('"');
        }
    }

    private static void value(JsonBytes json, String key, Object value) {
        json.escaped(key).ascii("\":");
        switch (value) {
            case null -> json.ascii("null");
            case Integer i -> json.number(i);
            case Long l -> json.number(l);
            case Double d when Double.isFinite(d) -> json.ascii(d.toString());
            case Boolean b -> json.ascii(b.toString());
            default -> json.ascii('"').escaped(value.toString()).ascii('"');
        }
    }

    /** Formatting an instant is costly and a busy node logs many lines per millisecond: keep the last one. */
    private static String timestamp(long epochMillis) {
        Stamp last = lastStamp;
        if (last.millis() != epochMillis) {
            last = new Stamp(epochMillis, Instant.ofEpochMilli(epochMillis).toString());
            lastStamp = last;
        }
        return last.text();
    }
}
