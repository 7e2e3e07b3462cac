package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowRuleTest {

    private static AllowRule rule(String domain, String... paths) {
        return new AllowRule(domain, AllowRule.DEFAULT_SCHEMES, List.of(paths), Set.of());
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
            "example.com, example.com, true",
            "example.com, a.example.com, false",
            "example.com, badexample.com, false",
            "*.example.com, a.example.com, true",
            "*.example.com, a.b.example.com, true",
            "*.example.com, example.com, false",
            "*.example.com, badexample.com, false",
            "*.example.com, a.example.com.evil.net, false",
            "CDN.Example.com., cdn.example.com, true"})
    void domainsMatchExactlyOrAnySubdomainBelowAGlob(String domain, String host, boolean matches) {
        assertEquals(matches, rule(domain).matches("https", host, -1, "/a.ts"));
    }

    @Test
    void schemesDefaultToHttps() {
        AllowRule rule = rule("example.com");
        assertTrue(rule.matches("https", "example.com", -1, "/"));
        assertFalse(rule.matches("http", "example.com", -1, "/"));
        assertTrue(new AllowRule("example.com", Set.of("http"), List.of(), Set.of()).matches("HTTP", "example.com", -1, "/"));
    }

    @Test
    void withoutPortsOnlyTheSchemesDefaultPortMatches() {
        var both = new AllowRule("example.com", Set.of("http", "https"), List.of(), Set.of());
        assertTrue(both.matches("https", "example.com", -1, "/"));
        assertTrue(both.matches("https", "example.com", 443, "/"));
        assertTrue(both.matches("http", "example.com", 80, "/"));
        assertFalse(both.matches("http", "example.com", 443, "/"), "443 is not http's default");
        assertFalse(both.matches("https", "example.com", 8443, "/"));
        assertFalse(both.matches("http", "example.com", 6379, "/"));
    }

    @Test
    void listedPortsAreTheOnlyOnesThatMatch() {
        var rule = new AllowRule("10.20.0.5", Set.of("http"), List.of(), Set.of(8080, 8081));
        assertTrue(rule.matches("http", "10.20.0.5", 8080, "/"));
        assertTrue(rule.matches("http", "10.20.0.5", 8081, "/"));
        assertFalse(rule.matches("http", "10.20.0.5", -1, "/"), "the default port is not listed");
        assertFalse(rule.matches("http", "10.20.0.5", 22, "/"));
    }

    @Test
    void aPortOutsideOneTo65535IsRefused() {
        assertEquals(Optional.of("not a port (1-65535): 0"), AllowRule.portProblem(0));
        assertThrows(IllegalArgumentException.class,
                () -> new AllowRule("example.com", Set.of("https"), List.of(), Set.of(70_000)));
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
            "/vod/*, /vod/a.ts, true",
            "/vod/*, /vod/a/b.ts, false",
            "/vod/*, /live/a.ts, false",
            "/vod/**, /vod/a/b/c.ts, true",
            "/vod/**, /vod/, true",
            "/vod/**, /vodka/a.ts, false",
            "/vod/*/seg-*.ts, /vod/720p/seg-1.ts, true",
            "/vod/*/seg-*.ts, /vod/720p/x/seg-1.ts, false",
            "/vod/**, /vod/../admin, false",
            "/vod/**, /vod/%2e%2e/admin, false",
            "/vod/**, /vod/%2E%2E%2Fadmin, false",
            "/a.b/(x)+, /a.b/(x)+, true",
            "/a.b/(x)+, /aXb/(x)+, false"})
    void pathGlobsMatchSegmentsAndNeverDotSegments(String glob, String path, boolean matches) {
        assertEquals(matches, rule("example.com", glob).matches("https", "example.com", -1, path));
    }

    @Test
    void noPathsMeansAnyPath() {
        assertTrue(rule("example.com").matches("https", "example.com", -1, "/anything/at/all"));
    }

    @Test
    void describesWhatIsWrongWithADomain() {
        assertEquals(Optional.of("must not be empty"), AllowRule.domainProblem(" "));
        assertEquals(Optional.of("not a host name, *.name or [IPv6 literal]: \"a.*.com\""),
                AllowRule.domainProblem("a.*.com"));
        assertEquals(Optional.of("* would allow every host: name the domains (*.example.com allows its subdomains)"),
                AllowRule.domainProblem("*"));
        assertEquals(Optional.empty(), AllowRule.domainProblem("*.cdn.example.net"));
        assertEquals(Optional.empty(), AllowRule.domainProblem("[2001:db8::1]"));
        assertThrows(IllegalArgumentException.class, () -> rule("exa mple.com"));
    }

    @Test
    void describesWhatIsWrongWithAPathOrScheme() {
        assertEquals(Optional.of("path glob must start with /: \"vod/*\""), AllowRule.pathProblem("vod/*"));
        assertEquals(Optional.of("unsupported scheme \"ftp\"; expected http or https"), AllowRule.schemeProblem("ftp"));
    }
}
