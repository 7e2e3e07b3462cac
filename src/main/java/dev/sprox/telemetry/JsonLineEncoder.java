package dev.sprox.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One flat JSON object per log line, for journald and Loki: fixed fields first ({@code timestamp},
 * {@code level}, {@code logger}, {@code message}), then the event's key-value pairs and MDC entries as
 * top-level fields, and a stack trace as one escaped {@code stack} field rather than many lines.
 * Written by hand rather than through a JSON library: the access log runs once per request, and this
 * encoder was the largest cost of a small request.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NONE = new byte[0];
    private static final char[] HEX = "0123456789abcdef".toCharArray();
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
        var json = new StringBuilder(384);
        json.append("{\"timestamp\":\"").append(timestamp(event.getTimeStamp())).append('"');
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "message", event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                value(json.append(",\""), pair.key, pair.value);
            }
        }
        for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
            field(json, entry.getKey(), entry.getValue());
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(json, "stack", ThrowableProxyUtil.asString(thrown));
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    private record Stamp(long millis, String text) {}

    private static void field(StringBuilder json, String key, String value) {
        escaped(json.append(",\""), key).append("\":");
        if (value == null) {
            json.append("null");
        } else {
            escaped(json.append('"'), value).append('"');
        }
    }

    private static void value(StringBuilder json, String key, Object value) {
        escaped(json, key).append("\":");
        switch (value) {
            case null -> json.append("null");
            case Integer i -> json.append(i.intValue());
            case Long l -> json.append(l.longValue());
            case Double d when Double.isFinite(d) -> json.append(d.doubleValue());
            case Boolean b -> json.append(b.booleanValue());
            default -> escaped(json.append('"'), value.toString()).append('"');
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

    /** RFC 8259 §7: quote, backslash and control characters are escaped; everything else is kept. */
    private static StringBuilder escaped(StringBuilder json, String text) {
        if (!needsEscape(text)) {
            return json.append(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json;
    }
}
