package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a request's target becomes the origin's target, and which requests never reach an origin. */
class RouteMappingTest extends OriginHarness {
    private final MockOrigin second = MockOrigin.start();

    @BeforeEach
    void answerOk() {
        origin.dispatch(request -> MockResponse.ok("ok"));
        second.dispatch(request -> MockResponse.ok("ok"));
    }

    @AfterEach
    void closeSecond() {
        second.close();
    }

    @Test
    void originPrefixIsKeptAndPathAndQueryGoThroughByteForByte() throws Exception {
        start(route("vod", origin.url("/vod")));
        assertEquals(200, fetch("/a/b%20c.ts?x=1%2F&y").statusCode());
        assertEquals("/vod/a/b%20c.ts?x=1%2F&y", origin.only().target());
    }

    @Test
    void originWithTrailingSlashDoesNotDoubleIt() throws Exception {
        start(route("vod", origin.url("/vod/")));
        fetch("/seg/1.ts");
        assertEquals("/vod/seg/1.ts", origin.only().target());
    }

    @Test
    void dotSegmentsAreRefusedWithoutReachingTheOrigin() throws Exception {
        start(route("vod", origin.url("/vod")));
        for (String target : List.of("/a/../b", "/%2e%2e/x", "/..%2fx", "/a/./b", "/%2E%2E%5Cx", "/..;/admin",
                "/a/..;jsessionid=x/admin", "/.;/b", "/%2e%2e;/admin", "/..%3B/admin")) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
            assertTrue(response.startsWith("HTTP/1.1 400 "), target + " -> " + response);
        }
        assertEquals(List.of(), origin.requests());
    }

    @Test
    void pathParametersOnOrdinarySegmentsStillReachTheOrigin() throws Exception {
        start(route("vod", origin.url("/vod")));
        assertEquals(200, fetch("/a;v=1/...;x/b.ts").statusCode());
        assertEquals("/vod/a;v=1/...;x/b.ts", origin.only().target());
    }

    @Test
    void hostWithoutRouteIs404() throws Exception {
        start(route("vod", origin.url("/vod")));
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: other.example\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404 "), response);
        assertEquals(List.of(), origin.requests());
    }

    @Test
    void firstMatchingRouteInConfigOrderTakesTheRequest() throws Exception {
        start(route("first", origin.url("/one")), route("second", second.url("/two")));
        assertEquals(200, fetch("/x").statusCode());
        assertEquals("/one/x", origin.only().target());
        assertEquals(List.of(), second.requests());
        assertMetricEventually(1, "sprox_server_requests_seconds_count{endpoint=\"route:first\",status_class=\"2xx\"}");
    }

    @Test
    void pathPrefixSendsOtherPathsToTheNextRoute() throws Exception {
        start(route("live", origin.url("/l")).replace("    upstream:", "    path_prefix: /live\n    upstream:"),
                route("rest", second.url("/r")));
        fetch("/live/a.ts");
        fetch("/lively");
        assertEquals("/l/live/a.ts", origin.only().target());
        assertEquals("/r/lively", second.only().target());
    }

    @Test
    void globHostPatternMatchesSubdomainsThroughTheProxy() throws Exception {
        start(route("vod", origin.url("/vod")).replace("[\"localhost\"]", "[\"*.vod.example\"]"));
        assertTrue(raw("GET /a HTTP/1.1\r\nHost: A.B.Vod.Example.:8080\r\n").startsWith("HTTP/1.1 200 "));
        assertTrue(raw("GET /b HTTP/1.1\r\nHost: vod.example\r\n").startsWith("HTTP/1.1 404 "));
        assertEquals("/vod/a", origin.only().target());
    }
}
