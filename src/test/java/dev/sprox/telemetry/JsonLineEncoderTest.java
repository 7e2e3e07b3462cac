package dev.sprox.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {
    private final Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("sprox.access");

    private String encode(String message, Throwable thrown, KeyValuePair... pairs) {
        var event = new LoggingEvent("fqcn", logger, Level.INFO, message, thrown, null);
        event.setTimeStamp(1_700_000_000_123L);
        for (KeyValuePair pair : pairs) {
            event.addKeyValuePair(pair);
        }
        return new String(new JsonLineEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void writesOneFlatObjectPerLine() {
        assertEquals("{\"timestamp\":\"2023-11-14T22:13:20.123Z\",\"level\":\"INFO\",\"logger\":\"sprox.access\","
                        + "\"message\":\"request\",\"status\":200,\"bytes\":12,\"duration_ms\":1.5,\"path\":\"/h\"}\n",
                encode("request", null, new KeyValuePair("status", 200), new KeyValuePair("bytes", 12L),
                        new KeyValuePair("duration_ms", 1.5), new KeyValuePair("path", "/h")));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String line = encode("a \"quoted\" \\ path\nwith\u0001control", null);
        assertTrue(line.contains("\"message\":\"a \\\"quoted\\\" \\\\ path\\nwith\\u0001control\""), line);
    }

    @Test
    void stackTraceIsOneEscapedField() {
        String line = encode("failed", new IllegalStateException("boom"));
        assertEquals(1, line.lines().count());
        assertTrue(line.contains("\"stack\":\"java.lang.IllegalStateException: boom\\n\\tat "), line);
    }

    @Test
    void nullValuesAreJsonNull() {
        assertTrue(encode("m", null, new KeyValuePair("user_agent", null)).contains("\"user_agent\":null"));
    }

    @Test
    void userControlledTextCannotBreakTheLine() {
        List<String> lines = encode("m", null, new KeyValuePair("user_agent", "x\r\n{\"level\":\"ERROR\"}")).lines()
                .toList();
        assertEquals(1, lines.size());
    }

    @Test
    void nonAsciiTextIsUtf8AsTheJdkEncodesIt() {
        String text = "caf\u00e9 \u6620\u753b \uD83C\uDFAC lone \uD800 end";
        String line = encode(text, null);
        // A lone surrogate cannot be UTF-8: the JDK's encoder writes '?', and so does this one.
        String expected = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertTrue(line.contains("\"message\":\"" + expected + "\""), line);
        assertTrue(line.contains("\"message\":\"caf\u00e9 \u6620\u753b \uD83C\uDFAC lone ? end\""), line);
    }
}
