package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.telemetry.LogCapture;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An origin with an open redirect cannot turn a route into a path to cloud metadata or other internal
 * addresses: hops off the origin pass the destination checks unless the route names them. The origin itself
 * is on loopback, which routes may use.
 */
class RouteRedirectGuardTest extends OriginHarness {
    private static final String METADATA_HEADERS = "Metadata-Flavor: Google\r\nMetadata: true\r\n";

    /** A service on another loopback address. */
    private final MockOrigin inside = MockOrigin.start(InetAddress.ofLiteral("127.0.0.2"));
    private LogCapture logs;

    @BeforeEach
    void script() {
        logs = new LogCapture();
        inside.answer("/steal", MockResponse.ok("inside"));
        origin.answer("/vod/r-metadata", redirect("http://169.254.169.254/latest/meta-data/"))
                .answer("/vod/r-inside", redirect(inside.url("/steal")))
                .answer("/vod/r-localhost", redirect("http://localhost:" + origin.port() + "/vod/ok"))
                .answer("/vod/r-within", redirect("/vod/ok"))
                .answer("/vod/ok", MockResponse.ok("ok"));
    }

    private static MockResponse redirect(String location) {
        return MockResponse.status(302).header("Location", location);
    }

    @AfterEach
    void stopInside() {
        logs.close();
        inside.close();
    }

    private String routeWith(String redirect) {
        return route("vod", origin.url("/vod"), "redirect: " + redirect);
    }

    private String ask(String path) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + METADATA_HEADERS);
    }

    @Test
    void aRedirectToTheMetadataAddressIs502AndCounted() throws Exception {
        start(routeWith("{follow_max: 3}"));

        String answer = ask("/r-metadata");

        assertTrue(answer.startsWith("HTTP/1.1 502 "), answer);
        assertTrue(answer.endsWith("\r\n\r\nupstream redirect refused\n"), answer);
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"refused_redirect\",route=\"vod\"}"));
        List<String> logged = logs.containing("upstream request failed");
        assertEquals(1, logged.size(), logs.lines()::toString);
        assertTrue(logged.getFirst().contains("169.254.169.254") && logged.getFirst().contains("LINK_LOCAL"),
                logged.getFirst());
    }

    @Test
    void aRedirectToAnotherLoopbackAddressNeverReachesItNorCarriesTheClientsHeaders() throws Exception {
        start(routeWith("{follow_max: 3}"));

        String answer = ask("/r-inside");

        assertTrue(answer.startsWith("HTTP/1.1 502 "), answer);
        assertEquals(List.of(), inside.requests());
    }

    @Test
    void aRedirectToANameResolvingToLoopbackIsRefused() throws Exception {
        start(routeWith("{follow_max: 3}"));
        assertTrue(ask("/r-localhost").startsWith("HTTP/1.1 502 "));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"refused_redirect\",route=\"vod\"}"));
    }

    @Test
    void aHopWithinThePrivateOriginIsFollowed() throws Exception {
        start(routeWith("{follow_max: 3}"));
        assertEquals("ok", fetch("/r-within").body());
    }

    @Test
    void allowCidrsLetsTheRouteReachTheNamedAddresses() throws Exception {
        start(routeWith("{follow_max: 3, allow_cidrs: [127.0.0.2/32]}"));
        assertEquals("inside", fetch("/r-inside").body());
        assertEquals("/steal", inside.only().target());
    }

    @Test
    void allowHostsLetsTheRouteReachTheNamedHosts() throws Exception {
        start(routeWith("{follow_max: 3, allow_hosts: [localhost]}"));
        assertEquals("ok", fetch("/r-localhost").body());
    }
}
