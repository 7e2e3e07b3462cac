package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** /proxy/stream as a byte proxy: statuses, the two header allowlists, overrides, HEAD, names and types. */
class DirectStreamTest extends DirectHarness {

    /** A port nothing listens on, allowlisted so the request reaches the connect. */
    private static final int CLOSED_PORT = closedPort();

    private static int closedPort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeEach
    void startSprox() throws Exception {
        allowPort(CLOSED_PORT);
        startDirect("retry: {max_attempts: 1}", "follow_redirects: 2");
    }

    @Test
    void streamsTheOriginsBodyWithOnlyAllowlistedResponseHeaders() throws Exception {
        origin.answer("/v/a.ts", MockResponse.ok("segment bytes").type("video/mp2t").header("ETag", "\"v1\"")
                .header("Cache-Control", "max-age=60").header("Set-Cookie", "origin=secret")
                .header("X-Origin-Node", "edge-7").header("Content-Disposition", "attachment"));

        HttpResponse<String> response = fetch(stream("/v/a.ts"));

        assertEquals(200, response.statusCode());
        assertEquals("segment bytes", response.body());
        assertEquals(Optional.of("video/mp2t"), response.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("\"v1\""), response.headers().firstValue("ETag"));
        assertEquals(Optional.of("max-age=60"), response.headers().firstValue("Cache-Control"));
        assertEquals(Optional.empty(), response.headers().firstValue("Set-Cookie"));
        assertEquals(Optional.empty(), response.headers().firstValue("X-Origin-Node"));
        assertEquals(Optional.empty(), response.headers().firstValue("Content-Disposition"));
        assertEquals(Optional.empty(), response.headers().firstValue("Accept-Ranges"),
                "the origin did not say it serves ranges");
    }

    @Test
    void aPlainDestinationWorksLikeAnEncodedOne() throws Exception {
        origin.answer("/v/a.ts", MockResponse.ok("plain"));
        assertEquals("plain", fetch("/proxy/stream?d=" + origin("/v/a.ts")).body());
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 410, 500, 503})
    void theOriginsErrorStatusIsKept(int status) throws Exception {
        origin.answer("/v/a.ts", MockResponse.status(status).body("origin says " + status));

        HttpResponse<String> response = fetch(stream("/v/a.ts"));

        assertEquals(status, response.statusCode());
        assertEquals("origin says " + status, response.body());
    }

    @Test
    void onlyAllowlistedRequestHeadersReachTheOrigin() throws Exception {
        origin.answer("/v/a.ts", MockResponse.status(200));

        fetch(stream("/v/a.ts"), "User-Agent", "Player/1.0", "Referer", "https://site.example/",
                "Cookie", "session=abc", "Authorization", "Bearer client-token", "X-Forwarded-For", "10.9.8.7",
                "X-Api-Key", "k");

        RecordedRequest received = origin.only();
        assertEquals(List.of("Player/1.0"), received.headers("User-Agent"));
        assertEquals(List.of("https://site.example/"), received.headers("Referer"));
        for (String dropped : List.of("Cookie", "Authorization", "X-Forwarded-For", "X-Api-Key", "Via",
                "X-Request-Id")) {
            assertEquals(List.of(), received.headers(dropped), dropped + " reached the origin");
        }
    }

    @Test
    void anOverrideReplacesWhatTheClientSent() throws Exception {
        origin.answer("/v/a.ts", MockResponse.status(200));

        fetch(stream("/v/a.ts") + "&h_user_agent=Kodi%2F21&h_Referer=https%3A%2F%2Freferer.example%2F",
                "User-Agent", "Player/1.0");

        RecordedRequest received = origin.only();
        assertEquals("GET /v/a.ts", received.method() + " " + received.target());
        assertEquals(List.of("Kodi/21"), received.headers("User-Agent"));
        assertEquals(List.of("https://referer.example/"), received.headers("Referer"));
    }

    @Test
    void anOverrideOutsideTheAllowlistIsRefusedNamingTheHeader() throws Exception {
        HttpResponse<String> response = fetch(stream("/v/a.ts") + "&h_authorization=Bearer%20x");

        assertEquals(400, response.statusCode());
        assertEquals("header override \"authorization\" is not allowed\n", response.body());
        assertEquals(0, origin.requestCount());
    }

    @Test
    void crlfInAnOverrideIsRefusedAndNothingIsSent() throws Exception {
        HttpResponse<String> response = fetch(stream("/v/a.ts") + "&h_referer=x%0D%0AX-Injected%3A%201");

        assertEquals(400, response.statusCode());
        assertEquals("header override \"referer\" has an invalid value\n", response.body());
        assertEquals(0, origin.requestCount());
    }

    @Test
    void aMissingDestinationIsABadRequest() throws Exception {
        HttpResponse<String> response = fetch("/proxy/stream");
        assertEquals(400, response.statusCode());
        assertEquals("query parameter d (the destination URL) is required\n", response.body());
    }

    @Test
    void aDestinationThatIsNotHttpIsABadRequest() throws Exception {
        assertEquals(400, fetch("/proxy/stream?d=" + DirectUrls.encode("file:///etc/passwd")).statusCode());
        assertEquals(400, fetch("/proxy/stream?d=" + DirectUrls.encode("/relative/a.ts")).statusCode());
    }

    @Test
    void aDestinationOutsideTheAllowlistIsForbiddenAndNotContacted() throws Exception {
        // Same origin server, but by a name and a scheme the allowlist does not list.
        assertEquals(403, fetch("/proxy/stream?d=" + DirectUrls.encode(
                "http://localhost:" + origin.port() + "/v/a.ts")).statusCode());
        assertEquals(403, fetch("/proxy/stream?d=" + DirectUrls.encode(
                "https://127.0.0.1:" + origin.port() + "/v/a.ts")).statusCode());
        assertEquals(0, origin.requestCount());
    }

    @Test
    void aPortTheAllowlistDoesNotListIsForbiddenAndNotContacted() throws Exception {
        try (var other = MockOrigin.start().answer("/a.ts", MockResponse.status(200))) {
            HttpResponse<String> response = fetch("/proxy/stream?d=" + DirectUrls.encode(other.url("/a.ts")));
            assertEquals(403, response.statusCode());
            assertEquals("destination is not allowlisted\n", response.body());
            assertEquals(0, other.requestCount());
        }
    }

    @Test
    void aRedirectToAPortTheAllowlistDoesNotListIsForbidden() throws Exception {
        origin.answer("/old/a.ts", MockResponse.status(302).header("Location", "http://127.0.0.1:6379/new/a.ts"));

        HttpResponse<String> response = fetch(stream("/old/a.ts"));

        assertEquals(403, response.statusCode());
        assertEquals("destination is not allowlisted\n", response.body());
    }

    @Test
    void redirectsAreFollowedAndTheFinalAnswerServed() throws Exception {
        origin.answer("/old/a.ts", MockResponse.status(302).header("Location", "/new/a.ts"));
        origin.answer("/new/a.ts", MockResponse.ok("moved bytes"));

        HttpResponse<String> response = fetch(stream("/old/a.ts"));

        assertEquals(200, response.statusCode());
        assertEquals("moved bytes", response.body());
        assertEquals(Optional.empty(), response.headers().firstValue("Location"));
    }

    @Test
    void aRedirectToADestinationOutsideTheAllowlistIsForbidden() throws Exception {
        origin.answer("/old/a.ts", MockResponse.status(302)
                .header("Location", "http://localhost:" + origin.port() + "/new/a.ts"));

        assertEquals(403, fetch(stream("/old/a.ts")).statusCode());
        assertEquals(List.of(), origin.requests("/new/a.ts"));
    }

    @Test
    void moreRedirectsThanFollowRedirectsIsABadGateway() throws Exception {
        for (int i = 0; i < 3; i++) {
            origin.answer("/hop" + i, MockResponse.status(302).header("Location", "/hop" + (i + 1)));
        }
        origin.answer("/hop3", MockResponse.status(200));

        assertEquals(502, fetch(stream("/hop0")).statusCode());
    }

    @Test
    void partialContentWithoutContentRangeIsABadGateway() throws Exception {
        origin.answer("/v/a.ts", MockResponse.status(206).body("which part?"));

        HttpResponse<String> response = fetch(stream("/v/a.ts"), "Range", "bytes=0-10");

        assertEquals(502, response.statusCode());
        assertEquals("upstream answered 206 without Content-Range\n", response.body());
    }

    @Test
    void anUnreachableOriginIsABadGateway() throws Exception {
        HttpResponse<String> response = fetch("/proxy/stream?d=" + DirectUrls.encode(
                "http://127.0.0.1:" + CLOSED_PORT + "/a.ts"));
        assertEquals(502, response.statusCode());
    }

    @Test
    void anOriginTooSlowToAnswerIsAGatewayTimeout() throws Exception {
        sprox.drain();
        startDirect("retry: {max_attempts: 1}", "read_timeout_ms: 1000");
        origin.answer("/v/slow.ts", MockResponse.fault(MockResponse.Fault.STALL));

        assertEquals(504, fetch(stream("/v/slow.ts")).statusCode());
        assertEquals(1, origin.requests("/v/slow.ts").size(), "asked once, then given up on");
    }

    @Test
    void headGoesUpstreamAsHeadAndAnswersTheOriginsLength() throws Exception {
        origin.dispatch(request -> request.method().equals("HEAD") && request.target().equals("/v/a.mp4")
                ? MockResponse.status(200).type("video/mp4").header("Content-Length", "123456")
                        .header("Accept-Ranges", "bytes")
                : MockResponse.status(405));

        HttpResponse<Void> response = client.send(request(stream("/v/a.mp4"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("123456"), response.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("bytes"), response.headers().firstValue("Accept-Ranges"));
        assertEquals(List.of("HEAD /v/a.mp4"), origin.requests().stream()
                .map(r -> r.method() + " " + r.target()).toList());
    }

    @Test
    void theFilenameBecomesContentDispositionAndNamesTheType() throws Exception {
        origin.answer("/files/38271", MockResponse.ok("mkv bytes").type("application/octet-stream"));

        HttpResponse<String> response = fetch("/proxy/stream/My%20Film%20%282024%29.mkv?d="
                + DirectUrls.encode(origin("/files/38271")));

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("inline; filename=\"My Film (2024).mkv\""),
                response.headers().firstValue("Content-Disposition"));
        assertEquals(Optional.of("video/x-matroska"), response.headers().firstValue("Content-Type"));
    }

    @Test
    void aLargeBodyOfUnsaidTypeArrivesWholeAfterTheBytesReadToTellItIsNoPlaylist() throws Exception {
        // It starts like a playlist's "#EXTM3U", so sniffing reads five bytes before it can tell.
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        System.arraycopy("#EXTMx".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 6);
        origin.answer("/files/38272", MockResponse.ok(body).type("application/octet-stream"));

        HttpResponse<byte[]> response = client.send(request(stream("/files/38272")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertArrayEquals(body, response.body());
    }

    @Test
    void aNonAsciiFilenameIsEncodedPerRfc6266() throws Exception {
        origin.answer("/files/1", MockResponse.ok("x"));

        HttpResponse<String> response = fetch("/proxy/stream/%C3%89t%C3%A9.mp4?d=" + DirectUrls.encode(origin("/files/1")));

        assertEquals(Optional.of("inline; filename=\"_t_.mp4\"; filename*=UTF-8''%C3%89t%C3%A9.mp4"),
                response.headers().firstValue("Content-Disposition"));
    }

    @Test
    void theTypeComesFromTheOriginsPathWhenItSendsNone() throws Exception {
        origin.answer("/v/movie.mp4", MockResponse.ok("mp4 bytes").type("application/octet-stream"));
        origin.answer("/v/clip.webm", MockResponse.ok("webm bytes").type("video/x-custom"));

        assertEquals(Optional.of("video/mp4"), fetch(stream("/v/movie.mp4")).headers().firstValue("Content-Type"));
        assertEquals(Optional.of("video/x-custom"), fetch(stream("/v/clip.webm")).headers().firstValue("Content-Type"),
                "an informative type from the origin is kept");
    }

    @Test
    void anEncodedBodyPassesThroughWithItsContentEncoding() throws Exception {
        byte[] gzipped = gzip("subtitle text, compressed by the origin");
        origin.answer("/v/sub.vtt", MockResponse.ok(gzipped).type("text/vtt").header("Content-Encoding", "gzip"));

        HttpResponse<byte[]> response = client.send(request(stream("/v/sub.vtt")).header("Accept-Encoding", "gzip")
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(Optional.of("gzip"), response.headers().firstValue("Content-Encoding"));
        assertArrayEquals(gzipped, response.body());
    }

    @Test
    void aPathBelowTheFilenameIsNotAnEndpoint() throws Exception {
        assertEquals(404, fetch("/proxy/stream/a/b.mp4?d=" + DirectUrls.encode(origin("/v/a.ts"))).statusCode());
        assertEquals(0, origin.requestCount(), "the 404 is sprox's, not the origin's");
    }

    static byte[] gzip(String text) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
