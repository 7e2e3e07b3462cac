package dev.sprox.route;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The origin's status is the client's status; only sprox's own failures become 502 or 504. */
class RouteStatusTest extends ProxyHarness {
    private static WireMockServer origin;

    @BeforeAll
    static void startOrigin() {
        origin = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER));
        origin.start();
    }

    @AfterAll
    static void stopOrigin() {
        origin.stop();
    }

    @BeforeEach
    void startProxy() throws Exception {
        origin.resetAll();
        start(route("vod", "http://127.0.0.1:" + origin.port() + "/vod",
                "retry: {max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 50}"));
    }

    @Test
    void originNotFoundStaysNotFound() throws Exception {
        origin.stubFor(get("/vod/missing.ts").willReturn(aResponse().withStatus(404).withBody("nope")));
        var response = fetch("/missing.ts");
        assertEquals(404, response.statusCode());
        assertEquals("nope", response.body());
    }

    @Test
    void originForbiddenStaysForbidden() throws Exception {
        origin.stubFor(get("/vod/secret.ts").willReturn(aResponse().withStatus(403)));
        assertEquals(403, fetch("/secret.ts").statusCode());
    }

    @Test
    void originUnavailableIsPassedOnAndNotRetried() throws Exception {
        origin.stubFor(get("/vod/busy.ts").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "5")));
        var response = fetch("/busy.ts");
        assertEquals(503, response.statusCode());
        assertEquals(Optional.of("5"), response.headers().firstValue("Retry-After"));
        origin.verify(1, getRequestedFor(urlEqualTo("/vod/busy.ts")));
        assertEquals(0, metric("sprox_upstream_retries_total{route=\"vod\"}"));
    }

    @Test
    void partialContentKeepsRangeHeadersExact() throws Exception {
        origin.stubFor(get("/vod/seg.ts").withHeader("Range", equalTo("bytes=2-5"))
                .willReturn(aResponse().withStatus(206).withHeader("Content-Range", "bytes 2-5/10")
                        .withHeader("Accept-Ranges", "bytes").withBody("2345")));
        var response = fetch("/seg.ts", "Range", "bytes=2-5");
        assertEquals(206, response.statusCode());
        assertEquals("2345", response.body());
        assertEquals(Optional.of("bytes 2-5/10"), response.headers().firstValue("Content-Range"));
        assertEquals(Optional.of("4"), response.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("bytes"), response.headers().firstValue("Accept-Ranges"));
    }

    @Test
    void unsatisfiableRangeStays416() throws Exception {
        origin.stubFor(get("/vod/seg.ts").withHeader("Range", equalTo("bytes=50-60"))
                .willReturn(aResponse().withStatus(416).withHeader("Content-Range", "bytes */10")));
        var response = fetch("/seg.ts", "Range", "bytes=50-60");
        assertEquals(416, response.statusCode());
        assertEquals(Optional.of("bytes */10"), response.headers().firstValue("Content-Range"));
    }

    @Test
    void notModifiedKeepsValidatorsAndHasNoBody() throws Exception {
        origin.stubFor(get("/vod/seg.ts").withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));
        String response = raw("GET /seg.ts HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"v1\"\r\n");
        assertTrue(response.startsWith("HTTP/1.1 304 "), response);
        assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\netag: \"v1\"\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n"), "a 304 has no body: " + response);
    }

    @Test
    void headGetsTheOriginsContentLengthAndNoBody() throws Exception {
        try (var raw = RawOrigin.answering("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: video/mp2t\r\n"
                + "Connection: close\r\n\r\n")) {
            sprox.drain();
            start(route("vod", raw.url("/vod")));
            String response = raw("HEAD /seg.ts HTTP/1.1\r\nHost: localhost\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            assertTrue(response.contains("\r\nContent-Length: 1234\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n"), "HEAD has no body: " + response);
            assertEquals("HEAD /vod/seg.ts HTTP/1.1", raw.only().requestLine());
        }
    }
}
