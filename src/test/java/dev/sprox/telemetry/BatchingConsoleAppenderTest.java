package dev.sprox.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The access log's appender: every line, in order, written in batches, and none lost on stop. */
class BatchingConsoleAppenderTest {
    private static final int LINES = 3000;
    private final LoggerContext context = new LoggerContext();

    {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }

    /** Output that counts its writes and holds the first one until told, so the lines behind it queue up. */
    private static final class Captured extends PrintStream {
        final CountDownLatch release = new CountDownLatch(1);
        int writes;

        Captured() {
            super(new ByteArrayOutputStream(), false, StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writes++;
            super.write(bytes, offset, length);
        }

        synchronized List<String> lines() {
            return ((ByteArrayOutputStream) out).toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void linesQueuedWhileTheOutputIsBusyAreWrittenTogetherInOrderAndAllOnStop() {
        var out = new Captured();
        var appender = appender(out);
        for (int i = 0; i < LINES; i++) {
            appender.doAppend(event("request " + i));
        }
        out.release.countDown();
        appender.stop();
        List<String> lines = out.lines();
        assertEquals(LINES, lines.size());
        for (int i = 0; i < LINES; i++) {
            assertTrue(lines.get(i).contains("\"message\":\"request " + i + "\""), lines.get(i));
        }
        assertTrue(out.writes <= LINES / 100, "writes: " + out.writes);
    }

    @Test
    void aLoneLineIsWrittenWithoutWaitingForOthers() throws InterruptedException {
        var out = new Captured();
        out.release.countDown();
        var appender = appender(out);
        appender.doAppend(event("alone"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.lines().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(1, out.lines().size());
        appender.stop();
    }

    @Test
    void aLineThatCannotBeEncodedLeavesNoHalfLineInItsBatch() {
        var out = new Captured();
        var appender = appender(out);
        appender.doAppend(event("before"));
        LoggingEvent broken = event("broken");
        broken.addKeyValuePair(new KeyValuePair("path", new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        }));
        appender.doAppend(broken);
        appender.doAppend(event("after"));
        out.release.countDown();
        appender.stop();
        List<String> lines = out.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.contains("broken")), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"timestamp\"") && lines.get(0).endsWith("\"message\":\"before\"}"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"timestamp\"") && lines.get(1).endsWith("\"message\":\"after\"}"),
                lines.get(1));
    }

    private BatchingConsoleAppender appender(PrintStream out) {
        var encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        var appender = new BatchingConsoleAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setQueueSize(LINES);
        appender.setOut(out);
        appender.start();
        return appender;
    }

    private LoggingEvent event(String message) {
        var event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName("sprox.access");
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setTimeStamp(System.currentTimeMillis());
        return event;
    }
}
