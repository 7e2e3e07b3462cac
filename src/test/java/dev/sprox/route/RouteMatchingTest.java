package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.dash.DashConfig;
import dev.sprox.hls.HlsConfig;
import dev.sprox.http.HostPattern;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which route a request lands on: host globs, path prefixes, listeners, and config order. */
class RouteMatchingTest {

    private static HostPattern pattern(String text) {
        return HostPattern.parse(text).orElseThrow();
    }

    /** Matching looks at the configuration only, so the route needs no client. */
    private static Route route(String id, List<String> hosts, Optional<String> pathPrefix) {
        var patterns = hosts.stream().map(RouteMatchingTest::pattern).toList();
        return new Route(new RouteConfig(id, List.of("public"), patterns, Set.of(), pathPrefix, null,
                dev.sprox.hls.HlsConfig.DISABLED, dev.sprox.dash.DashConfig.DISABLED, false), null,
                Optional.empty(), null);
    }

    private static Optional<String> matched(RouteTable table, String host, String path) {
        return table.match("public", host, "http", path).map(r -> r.config().id());
    }

    @Test
    void subdomainGlobMatchesAnyDepthButNotTheNameItself() {
        HostPattern glob = pattern("*.vod.example.com");
        assertTrue(glob.matches("a.vod.example.com"));
        assertTrue(glob.matches("a.b.vod.example.com"));
        assertFalse(glob.matches("vod.example.com"));
        assertFalse(glob.matches("avod.example.com"));
        assertFalse(glob.matches("a.vod.example.com.evil"));
    }

    @Test
    void hostComparisonIgnoresCaseAndTrailingDot() {
        assertTrue(pattern("*.vod.example.com").matches("A.VOD.Example.COM."));
        assertTrue(pattern("Vod.Example.com.").matches("vod.example.com"));
        assertTrue(pattern("vod.example.com").matches("VOD.EXAMPLE.COM."));
        assertFalse(pattern("vod.example.com").matches("vod.example.co"));
    }

    @Test
    void starAloneMatchesEveryHost() {
        assertTrue(pattern("*").matches("anything.at.all"));
        assertTrue(pattern("*").matches("127.0.0.1"));
    }

    @Test
    void firstMatchingRouteInConfigurationOrderWins() {
        var table = new RouteTable(List.of(route("narrow", List.of("a.vod.example"), Optional.empty()),
                route("glob", List.of("*.vod.example"), Optional.empty()),
                route("any", List.of(), Optional.empty())));
        assertEquals(Optional.of("narrow"), matched(table, "a.vod.example", "/x"));
        assertEquals(Optional.of("glob"), matched(table, "b.vod.example", "/x"));
        assertEquals(Optional.of("any"), matched(table, "elsewhere", "/x"));
    }

    @Test
    void pathPrefixMatchesAtSegmentBoundaryOnly() {
        var table = new RouteTable(List.of(route("vod", List.of("*"), Optional.of("/vod")),
                route("slash", List.of("*"), Optional.of("/live/"))));
        assertEquals(Optional.of("vod"), matched(table, "h", "/vod"));
        assertEquals(Optional.of("vod"), matched(table, "h", "/vod/a.ts"));
        assertEquals(Optional.empty(), matched(table, "h", "/video"));
        assertEquals(Optional.of("slash"), matched(table, "h", "/live"));
        assertEquals(Optional.of("slash"), matched(table, "h", "/live/x"));
        assertEquals(Optional.empty(), matched(table, "h", "/lively"));
    }

    @Test
    void routeOnlyAnswersOnItsListeners() {
        var table = new RouteTable(List.of(route("vod", List.of("*"), Optional.empty())));
        assertEquals(Optional.empty(), table.match("other", "h", "http", "/x").map(r -> r.config().id()));
    }
}
