package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request and response bodies stream through sprox intact, whatever their size or framing. */
class RouteBodyStreamingTest extends ProxyHarness {
    private static final int MIB = 1024 * 1024;

    private JdkOrigin origin;
    /** The Transfer-Encoding each request reached the origin with ("" for none). */
    private final List<String> framings = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    /** An origin that answers with the SHA-256 of the body it received. */
    private void startHashingOrigin() throws Exception {
        origin = new JdkOrigin(exchange -> {
            framings.add(String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding")));
            byte[] hash = TestBytes.sha256(exchange.getRequestBody()).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, hash.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(hash);
            }
        });
        startWith(", max_body_bytes: 104857600", route("up", origin.url("/in")));
    }

    private static byte[] generated(int length) {
        byte[] bytes = new byte[length];
        TestBytes.fill(bytes, 0);
        return bytes;
    }

    /** One generated block sent over and over, each copy stamped with its offset so a lost or repeated block shows. */
    private static void stamp(byte[] block, long offset) {
        java.nio.ByteBuffer.wrap(block).putLong(0, offset);
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(TestBytes.sha256().digest(bytes));
    }

    @Test
    void largePostBodyReachesTheOriginIntact() throws Exception {
        startHashingOrigin();
        byte[] body = generated(20 * MIB);
        var response = client.send(request("/upload").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(sha256(body), response.body());
        assertMetricEventually(body.length, "sprox_server_request_bytes_total{endpoint=\"route:up\"}");
    }

    @Test
    void chunkedRequestBodyReachesTheOriginIntact() throws Exception {
        startHashingOrigin();
        byte[] body = generated(3 * MIB + 17);
        var publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        var response = client.send(request("/upload").POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(sha256(body), response.body());
        assertEquals(List.of("chunked"), framings);
        // Decoded bytes: the chunk framing is not counted.
        assertMetricEventually(body.length, "sprox_server_request_bytes_total{endpoint=\"route:up\"}");
    }

    @Test
    void largeGeneratedResponseArrivesCompleteAndExact() throws Exception {
        long length = 200L * MIB;
        origin = new JdkOrigin(exchange -> {
            exchange.sendResponseHeaders(200, length);
            byte[] block = generated(256 * 1024);
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < length; sent += block.length) {
                    stamp(block, sent);
                    out.write(block);
                }
            }
        });
        start(route("vod", origin.url("/vod")));
        var digest = TestBytes.sha256();
        byte[] block = generated(256 * 1024);
        for (long offset = 0; offset < length; offset += block.length) {
            stamp(block, offset);
            digest.update(block);
        }
        var response = client.send(request("/big.ts").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(length), response.headers().firstValue("Content-Length").orElseThrow());
        try (InputStream body = response.body()) {
            assertEquals(HexFormat.of().formatHex(digest.digest()), TestBytes.sha256(body));
        }
    }

    @Test
    void bodyOfUnknownLengthIsPassedChunked() throws Exception {
        origin = new JdkOrigin(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("live-".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("segment".getBytes(StandardCharsets.US_ASCII));
            }
        });
        start(route("vod", origin.url("/vod")));
        String response = raw("GET /live.ts HTTP/1.1\r\nHost: localhost\r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertTrue(head.contains("\r\ntransfer-encoding: chunked"), head);
        assertFalse(head.contains("content-length"), head);
        assertTrue(response.endsWith("\r\n0\r\n\r\n"), response);
        assertEquals("live-segment", fetch("/live.ts").body());
    }
}
