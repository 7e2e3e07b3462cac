package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT drain: no new connections, idle ones closed, requests in flight finish, exit code 0. This
 * is what makes a rolling restart lose no viewer's download.
 */
class ShutdownIT {
    private static final long DOWNLOAD_BYTES = 256L * 1024 * 1024;
    private static final int PATTERN_PERIOD = 64 * 1024;
    private static final byte[] EXPECTED_CHUNK = speedtestChunk();

    @TempDir
    Path config;

    private SproxProcess sprox;
    private int publicPort;
    private int adminPort;

    @BeforeEach
    void start() {
        // A long grace, so a slow shared machine cannot turn "finishes in flight" into "cut off at the deadline".
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN.replace("shutdown_grace_ms: 5000", "shutdown_grace_ms: 30000")
                + "ops: {speedtest: {max_bytes: " + DOWNLOAD_BYTES + "}}\n");
        sprox = SproxProcess.run(config);
        publicPort = sprox.port("public");
        adminPort = sprox.port("admin");
    }

    @AfterEach
    void stop() {
        sprox.close();
    }

    @Test
    void sigtermLetsADownloadInFlightFinishAndExitsZero() throws Exception {
        try (Socket download = RawHttp.connect(publicPort); Socket idle = RawHttp.connect(adminPort)) {
            idle.getOutputStream().write(RawHttp.request("/health", false));
            assertEquals(200, RawHttp.readResponse(idle.getInputStream()).status());
            download.getOutputStream().write(RawHttp.request("/speedtest?bytes=" + DOWNLOAD_BYTES, false));
            InputStream body = download.getInputStream();
            RawHttp.Response head = RawHttp.readHead(body);
            assertEquals(200, head.status());
            assertEquals(String.valueOf(DOWNLOAD_BYTES), head.header("Content-Length"));
            assertEquals("application/octet-stream", head.header("Content-Type"));
            long received = readAndCheck(body, 0, 1024 * 1024);

            sprox.signal("TERM");

            sprox.stdout().await(message("SIGTERM received; shutting down"), SproxProcess.TIMEOUT);
            sprox.stdout().await(message("draining"), SproxProcess.TIMEOUT);
            Eventually.until(() -> RawHttp.refuses(publicPort), refused -> refused, "refusing new connections");
            // Listeners close one after the other: the admin one follows the public one within moments.
            Eventually.until(() -> RawHttp.refuses(adminPort), refused -> refused,
                    "the admin listener refusing new connections while draining");
            assertEquals(-1, RawHttp.readOrEnd(idle.getInputStream()), "the idle keep-alive connection was not closed");
            Eventually.sleep(Duration.ofMillis(500));
            assertTrue(sprox.isAlive(), "sprox exited with a download still in flight");
            received = readAndCheck(body, received, DOWNLOAD_BYTES - received);
            assertEquals(DOWNLOAD_BYTES, received);
            assertEquals(-1, RawHttp.readOrEnd(body), "the connection stayed open after the last response of a drain");
        }

        assertEquals(0, sprox.awaitExit(SproxProcess.TIMEOUT), sprox.stdout()::text);
        String access = sprox.stdout().await(field("logger", "sprox.access").and(field("endpoint", "/speedtest")),
                SproxProcess.TIMEOUT);
        assertTrue(field("status", 200).test(access) && field("bytes", DOWNLOAD_BYTES).test(access), access);
        sprox.stdout().await(message("sprox stopped").and(line -> line.contains("\"clean\":true")),
                SproxProcess.TIMEOUT);
    }

    @Test
    void healthAnswers503WhileDraining() throws Exception {
        try (Socket pending = RawHttp.connect(publicPort)) {
            // Half a request head: the connection is busy, so the drain waits for it instead of closing it.
            OutputStream out = pending.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + RawHttp.HOST + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Nothing observable says the server has read those bytes; half a second is ample on loopback.
            Eventually.sleep(Duration.ofMillis(500));

            sprox.signal("TERM");

            sprox.stdout().await(message("draining"), SproxProcess.TIMEOUT);
            Eventually.until(() -> RawHttp.refuses(publicPort), refused -> refused, "refusing new connections");
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Response health = RawHttp.readResponse(pending.getInputStream());
            assertEquals(503, health.status(), health::text);
            assertEquals("close", health.header("Connection"));
            assertEquals("draining", LogLine.string(health.text(), "status").orElseThrow(), health.text());
            assertEquals(1, LogLine.number(health.text(), "config_generation").orElseThrow());
            assertEquals(-1, RawHttp.readOrEnd(pending.getInputStream()));
        }
        assertEquals(0, sprox.awaitExit(SproxProcess.TIMEOUT), sprox.stdout()::text);
        sprox.stdout().await(message("sprox stopped"), SproxProcess.TIMEOUT);
    }

    @Test
    void sigintDrainsLikeSigterm() throws Exception {
        sprox.signal("INT");

        assertEquals(0, sprox.awaitExit(SproxProcess.TIMEOUT), sprox.stdout()::text);
        sprox.stdout().await(message("SIGINT received; shutting down"), SproxProcess.TIMEOUT);
        sprox.stdout().await(message("sprox stopped"), SproxProcess.TIMEOUT);
        assertTrue(RawHttp.refuses(publicPort));
    }

    /** Reads {@code count} body bytes starting at body offset {@code offset}, checking each one; the new offset. */
    private static long readAndCheck(InputStream in, long offset, long count) throws IOException {
        byte[] buffer = new byte[PATTERN_PERIOD];
        long position = offset;
        long end = offset + count;
        while (position < end) {
            int within = (int) (position % PATTERN_PERIOD);
            int n = in.read(buffer, 0, (int) Math.min(PATTERN_PERIOD - within, end - position));
            if (n < 0) {
                throw new AssertionError("body ended at byte " + position + " of " + DOWNLOAD_BYTES);
            }
            int mismatch = Arrays.mismatch(buffer, 0, n, EXPECTED_CHUNK, within, within + n);
            if (mismatch >= 0) {
                throw new AssertionError("wrong byte at body offset " + (position + mismatch));
            }
            position += n;
        }
        return position;
    }

    /** The speedtest pattern as its contract states it: the text repeated, restarted at every 64 KiB boundary. */
    private static byte[] speedtestChunk() {
        byte[] pattern = "sprox-speedtest-data-".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[PATTERN_PERIOD];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = pattern[i % pattern.length];
        }
        return chunk;
    }
}
