package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the origin sees of the client's request headers, and what sprox adds. */
class ForwardedRequestHeadersTest extends OriginHarness {

    @BeforeEach
    void answerOk() {
        origin.dispatch(request -> MockResponse.ok("ok"));
    }

    private RecordedRequest forward(String headers, String... upstreamExtras) throws Exception {
        start(route("vod", origin.url("/vod"), upstreamExtras));
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: localhost:" + address("public").getPort() + "\r\n" + headers);
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        return origin.only();
    }

    @Test
    void hopByHopHeadersAndThoseNamedByConnectionAreRemoved() throws Exception {
        var seen = forward("Connection: close, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                + "Upgrade: websocket\r\nProxy-Connection: keep-alive\r\nTrailer: X-Checksum\r\nX-Kept: yes\r\n");
        for (String name : List.of("x-hop", "keep-alive", "te", "upgrade", "proxy-connection", "trailer")) {
            assertFalse(seen.names().contains(name), name + " reached the origin: " + seen.headerLines());
        }
        assertEquals(Optional.of("yes"), seen.header("X-Kept"));
        assertFalse(seen.headers("Connection").stream().anyMatch(v -> v.toLowerCase().contains("x-hop")),
                seen.headerLines().toString());
    }

    @Test
    void xForwardedForAppendsThePeer() throws Exception {
        var seen = forward("X-Forwarded-For: 1.2.3.4\r\n", "headers: {x_forwarded_for: append}");
        assertEquals(List.of("1.2.3.4, 127.0.0.1"), seen.headers("X-Forwarded-For"));
    }

    @Test
    void xForwardedForIsThePeerWhenTheClientSentNone() throws Exception {
        var seen = forward("");
        assertEquals(List.of("127.0.0.1"), seen.headers("X-Forwarded-For"));
    }

    @Test
    void xForwardedForReplaceModeDropsWhatTheClientClaimed() throws Exception {
        var seen = forward("X-Forwarded-For: 1.2.3.4\r\n", "headers: {x_forwarded_for: replace}");
        assertEquals(List.of("127.0.0.1"), seen.headers("X-Forwarded-For"));
    }

    @Test
    void forwardedProtoAndHostDescribeTheClientsRequest() throws Exception {
        var seen = forward("X-Forwarded-Proto: https\r\nX-Forwarded-Host: spoofed.example\r\n");
        assertEquals(List.of("http"), seen.headers("X-Forwarded-Proto"));
        assertEquals(List.of("localhost:" + address("public").getPort()), seen.headers("X-Forwarded-Host"));
    }

    @Test
    void anAbsoluteFormTargetIsTheForwardedHostWhateverHostSays() throws Exception {
        start(route("vod", origin.url("/vod")));
        String target = "http://localhost:" + address("public").getPort() + "/a.ts";
        String response = raw("GET " + target + " HTTP/1.1\r\nHost: evil.example\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        // RFC 9112 §3.2.2: the route was chosen by the target's authority, and the origin is told the same one.
        assertEquals(List.of("localhost:" + address("public").getPort()), origin.only().headers("X-Forwarded-Host"));
    }

    @Test
    void hostIsTheOriginsAuthority() throws Exception {
        var seen = forward("");
        assertEquals(List.of(origin.authority()), seen.headers("Host"));
    }

    @Test
    void viaIsAddedAndAppendedToAnExistingOne() throws Exception {
        assertEquals(List.of("1.1 sprox"), forward("").headers("Via"));
        sprox.drain();
        origin.reset();
        answerOk();
        assertEquals(List.of("1.0 cdn, 1.1 sprox"), forward("Via: 1.0 cdn\r\n").headers("Via"));
    }

    @Test
    void clientRequestIdIsForwarded() throws Exception {
        var seen = forward("X-Request-Id: play-42.abc\r\n");
        assertEquals(List.of("play-42.abc"), seen.headers("X-Request-Id"));
    }

    @Test
    void authorizationIsDroppedByDefault() throws Exception {
        var seen = forward("Authorization: Bearer t0k3n\r\nProxy-Authorization: Basic eA==\r\n");
        assertEquals(List.of(), seen.headers("Authorization"));
        assertEquals(List.of(), seen.headers("Proxy-Authorization"));
    }

    @Test
    void authorizationIsForwardedWhenAllowed() throws Exception {
        var seen = forward("Authorization: Bearer t0k3n\r\n", "headers: {allow: [authorization]}");
        assertEquals(List.of("Bearer t0k3n"), seen.headers("Authorization"));
    }

    @Test
    void deniedHeaderIsDropped() throws Exception {
        var seen = forward("X-Secret: s3cr3t\r\nX-Other: kept\r\n", "headers: {deny: [X-Secret]}");
        assertEquals(List.of(), seen.headers("X-Secret"));
        assertEquals(List.of("kept"), seen.headers("X-Other"));
    }
}
