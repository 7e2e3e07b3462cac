package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB body, four times sprox's heap, streams through a route: proof that sprox relays bodies through a
 * bounded buffer instead of holding them, whether the origin declares the length or sends chunks. And a thousand
 * players that ask for a segment and never read it cost a bounded amount of memory: sprox keeps serving, and lets
 * go of every origin connection once the send timeout has given up on its client.
 */
class LargeBodySmallHeapIT {
    private static final long GIB = 1L << 30;
    private static final List<String> SMALL_HEAP = List.of("-Xmx128m");
    private static final int SLOW_PLAYERS = 1000;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path config;
    private static GeneratedOrigin origin;
    private static SproxProcess sprox;
    private static int port;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        origin = GeneratedOrigin.start();
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                routes:
                  - id: bulk
                    listeners: [public]
                    upstream:
                      origin: "http://127.0.0.1:%d"
                      read_timeout_ms: %d
                server: { max_connections: 20000, send_timeout_ms: %d }
                """.formatted(origin.port(), READ_TIMEOUT.toMillis(), SEND_TIMEOUT.toMillis()));
        sprox = SproxProcess.start(SMALL_HEAP, Map.of(), "run", "-c", config.toString()).awaitStarted();
        port = sprox.port("public");
    }

    @AfterAll
    static void stop() {
        if (sprox != null) {
            sprox.close();
        }
        if (origin != null) {
            origin.close();
        }
        CLIENT.close();
    }

    @Test
    @Timeout(120)
    void aGibibyteWithContentLength() throws Exception {
        Received received = download("/fixed/" + GIB);

        assertEquals(String.valueOf(GIB), received.response().headers().firstValue("Content-Length").orElseThrow());
        assertFullBodyArrived(received, "/fixed/" + GIB);
    }

    @Test
    @Timeout(120)
    void aChunkedGibibyte() throws Exception {
        Received received = download("/chunked/" + GIB);

        assertFalse(received.response().headers().firstValue("Content-Length").isPresent(),
                received.response().headers()::toString);
        assertFullBodyArrived(received, "/chunked/" + GIB);
    }

    @Test
    @Timeout(180)
    void aThousandPlayersThatNeverReadLeaveSproxServing() throws Exception {
        List<Socket> players = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_PLAYERS; i++) {
                players.add(slowPlayer("/fixed/" + (4 << 20)));
            }
            Eventually.until(origin::bodiesInProgress, n -> n > 0, "the origin sending");
            assertEquals(200, RawHttp.get(port, "/health").status(), "serves while the players hold their streams");

            // A stream ends when its client could not be sent to for the send timeout; one that waited for an origin
            // exchange first (the budget holds about 250), after at most the read timeout of that wait, answered 503
            // (these bodies carry no ETag, so their clients keep their exchanges). The last of a thousand streams starts
            // seconds after the first on this shared machine: that is the generous rest. Without pacing and shared
            // buffers, 383 were still open after 15 s.
            Duration bound = SEND_TIMEOUT.plus(READ_TIMEOUT).plus(SproxProcess.TIMEOUT);
            Eventually.within(bound, () -> origin.bodiesInProgress() == 0,
                    () -> "every origin connection closed (" + origin.bodiesInProgress() + " open)");
        } finally {
            players.forEach(LargeBodySmallHeapIT::closeQuietly);
        }
        assertTrue(sprox.isAlive(), sprox.stderr()::text);
        assertEquals(200, RawHttp.get(port, "/health").status(), sprox.stdout()::text);
        // The memory the players held is free again for streams, not only the process alive.
        assertEquals(200, RawHttp.get(port, "/fixed/65536").status(), sprox.stdout()::text);
        assertTrue(sprox.stderr().all().stream().noneMatch(l -> l.contains("OutOfMemoryError")),
                sprox.stderr()::text);
        System.out.printf("%d players that never read: sprox peak %s%n", SLOW_PLAYERS, procStatus("VmHWM"));
    }

    /** Asks for {@code path} on a connection with a small receive window and never reads the answer. */
    private static Socket slowPlayer(String path) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(RawHttp.HOST, port), 5_000);
        socket.getOutputStream().write(RawHttp.request(path, false));
        return socket;
    }

    private static String procStatus(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + sprox.pid() + "/status")).stream()
                .filter(l -> l.startsWith(field)).findFirst().orElse(field + ": ?").replaceAll("\\s+", " ");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }

    private record Received(HttpResponse<InputStream> response, long bytes, long crc, long nanos) {}

    private static Received download(String path) throws Exception {
        origin.expectNextBody();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        var crc = new CRC32();
        long bytes = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[GeneratedOrigin.BLOCK];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                bytes += n;
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("%s: %d bytes in %.1f s, %.0f MiB/s%n", path, bytes, nanos / 1e9,
                bytes / (1024.0 * 1024.0) / (nanos / 1e9));
        return new Received(response, bytes, crc.getValue(), nanos);
    }

    private static void assertFullBodyArrived(Received received, String path) {
        assertEquals(GIB, received.bytes());
        assertEquals(origin.awaitWrittenChecksum(SproxProcess.TIMEOUT), received.crc(), "CRC32 of the body");
        String line = sprox.stdout().await(message("request").and(field("path", path)), SproxProcess.TIMEOUT);
        assertEquals(200, LogLine.number(line, "status").orElseThrow(), line);
        assertEquals(GIB, LogLine.number(line, "bytes").orElseThrow(), line);
        assertTrue(sprox.isAlive(), sprox.stdout()::text);
        assertEquals(200, RawHttp.get(port, "/health").status(), sprox.stdout()::text);
        assertTrue(sprox.stderr().all().stream().noneMatch(l -> l.contains("OutOfMemoryError")),
                sprox.stderr()::text);
    }
}
