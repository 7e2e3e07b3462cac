package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
 * bounded buffer instead of holding them, whether the origin declares the length or sends chunks.
 */
class LargeBodySmallHeapIT {
    private static final long GIB = 1L << 30;
    private static final List<String> SMALL_HEAP = List.of("-Xmx256m");

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
                """.formatted(origin.port()));
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
