package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The origin's status is the client's status; only sprox's own failures become 502 or 504. */
class RouteStatusTest extends OriginHarness {

    @BeforeEach
    void startProxy() throws Exception {
        start(route("vod", origin.url("/vod"), "retry: {max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 50}"));
    }

    @Test
    void originNotFoundStaysNotFound() throws Exception {
        origin.answer("/vod/missing.ts", MockResponse.status(404).body("nope"));
        var response = fetch("/missing.ts");
        assertEquals(404, response.statusCode());
        assertEquals("nope", response.body());
    }

    @Test
    void originForbiddenStaysForbidden() throws Exception {
        origin.answer("/vod/secret.ts", MockResponse.status(403));
        assertEquals(403, fetch("/secret.ts").statusCode());
    }

    @Test
    void originUnavailableIsPassedOnAndNotRetried() throws Exception {
        origin.answer("/vod/busy.ts", MockResponse.status(503).header("Retry-After", "5"));
        var response = fetch("/busy.ts");
        assertEquals(503, response.statusCode());
        assertEquals(Optional.of("5"), response.headers().firstValue("Retry-After"));
        assertEquals("GET /vod/busy.ts HTTP/1.1", origin.only().requestLine());
        assertEquals(0, metric("sprox_upstream_retries_total{route=\"vod\"}"));
    }

    @Test
    void partialContentKeepsRangeHeadersExact() throws Exception {
        origin.answer("/vod/seg.ts", MockResponse.status(206).header("Content-Range", "bytes 2-5/10")
                .header("Accept-Ranges", "bytes").body("2345"));
        var response = fetch("/seg.ts", "Range", "bytes=2-5");
        assertEquals(206, response.statusCode());
        assertEquals("2345", response.body());
        assertEquals(Optional.of("bytes 2-5/10"), response.headers().firstValue("Content-Range"));
        assertEquals(Optional.of("4"), response.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("bytes"), response.headers().firstValue("Accept-Ranges"));
        assertEquals(Optional.of("bytes=2-5"), origin.only().header("Range"));
    }

    @Test
    void unsatisfiableRangeStays416() throws Exception {
        origin.answer("/vod/seg.ts", MockResponse.status(416).header("Content-Range", "bytes */10"));
        var response = fetch("/seg.ts", "Range", "bytes=50-60");
        assertEquals(416, response.statusCode());
        assertEquals(Optional.of("bytes */10"), response.headers().firstValue("Content-Range"));
        assertEquals(Optional.of("bytes=50-60"), origin.only().header("Range"));
    }

    @Test
    void notModifiedKeepsValidatorsAndHasNoBody() throws Exception {
        origin.answer("/vod/seg.ts", MockResponse.status(304).header("ETag", "\"v1\""));
        String response = raw("GET /seg.ts HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"v1\"\r\n");
        assertTrue(response.startsWith("HTTP/1.1 304 "), response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\netag: \"v1\"\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n"), "a 304 has no body: " + response);
        assertEquals(Optional.of("\"v1\""), origin.only().header("If-None-Match"));
    }

    @Test
    void headGetsTheOriginsContentLengthAndNoBody() throws Exception {
        origin.answer("/vod/seg.ts", MockResponse.ok(new byte[1234]).type("video/mp2t"));
        String response = raw("HEAD /seg.ts HTTP/1.1\r\nHost: localhost\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.contains("\r\nContent-Length: 1234\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n"), "HEAD has no body: " + response);
        assertEquals("HEAD /vod/seg.ts HTTP/1.1", origin.only().requestLine());
    }
}
