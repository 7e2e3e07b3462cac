package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import dev.sprox.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Request and response bodies stream through sprox intact, whatever their size or framing. */
class RouteBodyStreamingTest extends OriginHarness {
    private static final int MIB = 1024 * 1024;

    /** An origin that answers with the SHA-256 of the body it received. */
    private void startHashingOrigin() throws Exception {
        origin.dispatch(request -> MockResponse.ok(sha256(request.body())));
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
        assertEquals(Optional.of("chunked"), origin.only().header("Transfer-Encoding"));
        // Decoded bytes: the chunk framing is not counted.
        assertMetricEventually(body.length, "sprox_server_request_bytes_total{endpoint=\"route:up\"}");
    }

    @Test
    void largeGeneratedResponseArrivesCompleteAndExact() throws Exception {
        long length = 200L * MIB;
        origin.answer("/vod/big.ts", MockResponse.status(200).body(length, out -> {
            byte[] block = generated(256 * 1024);
            for (long sent = 0; sent < length; sent += block.length) {
                stamp(block, sent);
                out.write(block);
            }
        }));
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
        origin.answer("/vod/live.ts", MockResponse.status(200).body(-1, out -> {
            out.write("live-".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("segment".getBytes(StandardCharsets.US_ASCII));
        }));
        start(route("vod", origin.url("/vod")));
        String response = raw("GET /live.ts HTTP/1.1\r\nHost: localhost\r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertTrue(head.contains("\r\ntransfer-encoding: chunked"), head);
        assertFalse(head.contains("content-length"), head);
        assertTrue(response.endsWith("\r\n0\r\n\r\n"), response);
        assertEquals("live-segment", fetch("/live.ts").body());
    }
}
