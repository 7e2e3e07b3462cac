package dev.sprox.direct;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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

    private LoggedRequest onlyOriginRequest() {
        List<LoggedRequest> requests = origin.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertEquals(1, requests.size(), requests::toString);
        return requests.getFirst();
    }

    @Test
    void streamsTheOriginsBodyWithOnlyAllowlistedResponseHeaders() throws Exception {
        origin.stubFor(get("/v/a.ts").willReturn(aResponse().withStatus(200).withBody("segment bytes")
                .withHeader("Content-Type", "video/mp2t").withHeader("ETag", "\"v1\"")
                .withHeader("Cache-Control", "max-age=60").withHeader("Set-Cookie", "origin=secret")
                .withHeader("X-Origin-Node", "edge-7").withHeader("Content-Disposition", "attachment")));

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
        origin.stubFor(get("/v/a.ts").willReturn(aResponse().withStatus(200).withBody("plain")));
        assertEquals("plain", fetch("/proxy/stream?d=" + origin("/v/a.ts")).body());
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 410, 500, 503})
    void theOriginsErrorStatusIsKept(int status) throws Exception {
        origin.stubFor(get("/v/a.ts").willReturn(aResponse().withStatus(status).withBody("origin says " + status)));

        HttpResponse<String> response = fetch(stream("/v/a.ts"));

        assertEquals(status, response.statusCode());
        assertEquals("origin says " + status, response.body());
    }

    @Test
    void onlyAllowlistedRequestHeadersReachTheOrigin() throws Exception {
        origin.stubFor(get("/v/a.ts").willReturn(aResponse().withStatus(200)));

        fetch(stream("/v/a.ts"), "User-Agent", "Player/1.0", "Referer", "https://site.example/",
                "Cookie", "session=abc", "Authorization", "Bearer client-token", "X-Forwarded-For", "10.9.8.7",
                "X-Api-Key", "k");

        HttpHeaders received = onlyOriginRequest().getHeaders();
        assertEquals("Player/1.0", received.getHeader("User-Agent").firstValue());
        assertEquals("https://site.example/", received.getHeader("Referer").firstValue());
        for (String dropped : List.of("Cookie", "Authorization", "X-Forwarded-For", "X-Api-Key", "Via",
                "X-Request-Id")) {
            assertTrue(!received.getHeader(dropped).isPresent(), dropped + " reached the origin");
        }
    }

    @Test
    void anOverrideReplacesWhatTheClientSent() throws Exception {
        origin.stubFor(get("/v/a.ts").willReturn(aResponse().withStatus(200)));

        fetch(stream("/v/a.ts") + "&h_user_agent=Kodi%2F21&h_Referer=https%3A%2F%2Freferer.example%2F",
                "User-Agent", "Player/1.0");

        origin.verify(getRequestedFor(urlEqualTo("/v/a.ts")).withHeader("User-Agent", equalTo("Kodi/21"))
                .withHeader("Referer", equalTo("https://referer.example/")));
        assertEquals(List.of("Kodi/21"), onlyOriginRequest().getHeaders().getHeader("User-Agent").values());
    }

    @Test
    void anOverrideOutsideTheAllowlistIsRefusedNamingTheHeader() throws Exception {
        HttpResponse<String> response = fetch(stream("/v/a.ts") + "&h_authorization=Bearer%20x");

        assertEquals(400, response.statusCode());
        assertEquals("header override \"authorization\" is not allowed\n", response.body());
        assertEquals(0, origin.getAllServeEvents().size());
    }

    @Test
    void crlfInAnOverrideIsRefusedAndNothingIsSent() throws Exception {
        HttpResponse<String> response = fetch(stream("/v/a.ts") + "&h_referer=x%0D%0AX-Injected%3A%201");

        assertEquals(400, response.statusCode());
        assertEquals("header override \"referer\" has an invalid value\n", response.body());
        assertEquals(0, origin.getAllServeEvents().size());
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
        assertEquals(0, origin.getAllServeEvents().size());
    }

    @Test
    void aPortTheAllowlistDoesNotListIsForbiddenAndNotContacted() throws Exception {
        try (var other = new dev.sprox.route.JdkOrigin(exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        })) {
            HttpResponse<String> response = fetch("/proxy/stream?d=" + DirectUrls.encode(other.url("/a.ts")));
            assertEquals(403, response.statusCode());
            assertEquals("destination is not allowlisted\n", response.body());
        }
    }

    @Test
    void aRedirectToAPortTheAllowlistDoesNotListIsForbidden() throws Exception {
        origin.stubFor(get("/old/a.ts").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:6379/new/a.ts")));

        HttpResponse<String> response = fetch(stream("/old/a.ts"));

        assertEquals(403, response.statusCode());
        assertEquals("destination is not allowlisted\n", response.body());
    }

    @Test
    void redirectsAreFollowedAndTheFinalAnswerServed() throws Exception {
        origin.stubFor(get("/old/a.ts").willReturn(aResponse().withStatus(302).withHeader("Location", "/new/a.ts")));
        origin.stubFor(get("/new/a.ts").willReturn(aResponse().withStatus(200).withBody("moved bytes")));

        HttpResponse<String> response = fetch(stream("/old/a.ts"));

        assertEquals(200, response.statusCode());
        assertEquals("moved bytes", response.body());
        assertEquals(Optional.empty(), response.headers().firstValue("Location"));
    }

    @Test
    void aRedirectToADestinationOutsideTheAllowlistIsForbidden() throws Exception {
        origin.stubFor(get("/old/a.ts").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + origin.port() + "/new/a.ts")));

        assertEquals(403, fetch(stream("/old/a.ts")).statusCode());
        origin.verify(0, getRequestedFor(urlEqualTo("/new/a.ts")));
    }

    @Test
    void moreRedirectsThanFollowRedirectsIsABadGateway() throws Exception {
        for (int i = 0; i < 3; i++) {
            origin.stubFor(get("/hop" + i).willReturn(aResponse().withStatus(302).withHeader("Location",
                    "/hop" + (i + 1))));
        }
        origin.stubFor(get("/hop3").willReturn(aResponse().withStatus(200)));

        assertEquals(502, fetch(stream("/hop0")).statusCode());
    }

    @Test
    void partialContentWithoutContentRangeIsABadGateway() throws Exception {
        origin.stubFor(get("/v/a.ts").willReturn(aResponse().withStatus(206).withBody("which part?")));

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
        origin.stubFor(get("/v/slow.ts").willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));
        assertEquals(504, fetch(stream("/v/slow.ts")).statusCode());
    }

    @Test
    void headGoesUpstreamAsHeadAndAnswersTheOriginsLength() throws Exception {
        origin.stubFor(head(urlEqualTo("/v/a.mp4")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "video/mp4").withHeader("Content-Length", "123456")
                .withHeader("Accept-Ranges", "bytes")));

        HttpResponse<Void> response = client.send(request(stream("/v/a.mp4"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("123456"), response.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("bytes"), response.headers().firstValue("Accept-Ranges"));
        origin.verify(1, headRequestedFor(urlEqualTo("/v/a.mp4")));
        origin.verify(0, getRequestedFor(urlEqualTo("/v/a.mp4")));
    }

    @Test
    void theFilenameBecomesContentDispositionAndNamesTheType() throws Exception {
        origin.stubFor(get("/files/38271").willReturn(aResponse().withStatus(200).withBody("mkv bytes")
                .withHeader("Content-Type", "application/octet-stream")));

        HttpResponse<String> response = fetch("/proxy/stream/My%20Film%20%282024%29.mkv?d="
                + DirectUrls.encode(origin("/files/38271")));

        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("inline; filename=\"My Film (2024).mkv\""),
                response.headers().firstValue("Content-Disposition"));
        assertEquals(Optional.of("video/x-matroska"), response.headers().firstValue("Content-Type"));
    }

    @Test
    void aNonAsciiFilenameIsEncodedPerRfc6266() throws Exception {
        origin.stubFor(get("/files/1").willReturn(aResponse().withStatus(200).withBody("x")));

        HttpResponse<String> response = fetch("/proxy/stream/%C3%89t%C3%A9.mp4?d=" + DirectUrls.encode(origin("/files/1")));

        assertEquals(Optional.of("inline; filename=\"_t_.mp4\"; filename*=UTF-8''%C3%89t%C3%A9.mp4"),
                response.headers().firstValue("Content-Disposition"));
    }

    @Test
    void theTypeComesFromTheOriginsPathWhenItSendsNone() throws Exception {
        origin.stubFor(get("/v/movie.mp4").willReturn(aResponse().withStatus(200).withBody("mp4 bytes")
                .withHeader("Content-Type", "application/octet-stream")));
        origin.stubFor(get("/v/clip.webm").willReturn(aResponse().withStatus(200).withBody("webm bytes")
                .withHeader("Content-Type", "video/x-custom")));

        assertEquals(Optional.of("video/mp4"), fetch(stream("/v/movie.mp4")).headers().firstValue("Content-Type"));
        assertEquals(Optional.of("video/x-custom"), fetch(stream("/v/clip.webm")).headers().firstValue("Content-Type"),
                "an informative type from the origin is kept");
    }

    @Test
    void anEncodedBodyPassesThroughWithItsContentEncoding() throws Exception {
        byte[] gzipped = gzip("subtitle text, compressed by the origin");
        origin.stubFor(get("/v/sub.vtt").willReturn(aResponse().withStatus(200).withBody(gzipped)
                .withHeader("Content-Type", "text/vtt").withHeader("Content-Encoding", "gzip")));

        HttpResponse<byte[]> response = client.send(request(stream("/v/sub.vtt")).header("Accept-Encoding", "gzip")
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(Optional.of("gzip"), response.headers().firstValue("Content-Encoding"));
        assertArrayEquals(gzipped, response.body());
    }

    @Test
    void aPathBelowTheFilenameIsNotAnEndpoint() throws Exception {
        assertEquals(404, fetch("/proxy/stream/a/b.mp4?d=" + DirectUrls.encode(origin("/v/a.ts"))).statusCode());
    }

    static byte[] gzip(String text) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
