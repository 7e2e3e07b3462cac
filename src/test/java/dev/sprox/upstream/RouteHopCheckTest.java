package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.Headers;
import dev.sprox.http.HostPattern;
import dev.sprox.pipeline.ErrorResponses;
import dev.sprox.security.Cidr;
import dev.sprox.security.DestinationGuard;
import dev.sprox.security.HostResolver;
import dev.sprox.telemetry.Tracing;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's client against an origin on loopback (routes may point inside) that redirects off itself, to names
 * that only a resolver fixture knows: hops within the origin are not checked, hops off it are, with the direct
 * endpoints' address rules and pins.
 */
class RouteHopCheckTest {
    /** Redirects where a path says; {@code /never} is where refused hops point; anything else is "served PATH". */
    private static MockOrigin origin;

    /** Names real DNS never answers (RFC 6761 .test), resolved by the fixture only. */
    private static final HostResolver FIXTURE = name -> {
        String address = Map.of("pinned.test", "127.0.0.1", "metadata.test", "169.254.169.254",
                "inside.test", "127.0.0.2").get(name);
        if (address == null) {
            throw new UnknownHostException(name);
        }
        return List.of(InetAddress.ofLiteral(address));
    };

    @BeforeAll
    static void startOrigin() {
        origin = MockOrigin.start();
        int port = origin.port();
        origin.answer("/vod/within", redirect("/vod/media"))
                .answer("/vod/to-inside-name", redirect("http://inside.test:" + port + "/never"))
                .answer("/vod/to-metadata-name", redirect("http://metadata.test/latest/meta-data/"))
                .answer("/vod/to-pinned-name", redirect("http://pinned.test:" + port + "/vod/media"))
                .answer("/vod/to-localhost", redirect("http://localhost:" + port + "/vod/media"))
                .dispatch(request -> MockResponse.ok("served " + request.path()));
    }

    private static MockResponse redirect(String location) {
        return MockResponse.status(302).header("Location", location);
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    private static UpstreamClient client(RedirectTargets targets) throws Exception {
        URI base = URI.create(origin.url("/vod"));
        var config = new UpstreamConfig(base, Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty(),
                UpstreamTlsConfig.DEFAULT, Optional.empty(), 5, targets, RetryConfig.DEFAULT, HeaderPolicy.DEFAULT);
        var hops = HopCheck.leavingOrigin(base, targets, DestinationGuard.anyHost(targets.allowCidrs(), FIXTURE));
        return new UpstreamClient(config, SSLContext.getDefault(), Optional.empty(), hops, UpstreamEvents.NONE);
    }

    private static UpstreamResponse get(UpstreamClient client, String path) throws UpstreamFailure {
        var request = new UpstreamRequest("GET", URI.create(origin.url(path)), Headers.EMPTY, Optional.empty(), 0);
        return client.send(request, Tracing.OFF);
    }

    private static String body(UpstreamResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theOriginAndHopsWithinItAreNotCheckedThoughTheyAreLoopback() throws Exception {
        try (var client = client(RedirectTargets.NONE)) {
            assertEquals("served /vod/media", body(get(client, "/vod/within")));
        }
    }

    @Test
    void aHopToANameResolvingToLoopbackIsRefusedBeforeAnyConnection() throws Exception {
        try (var client = client(RedirectTargets.NONE)) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> get(client, "/vod/to-inside-name"));
            assertEquals(UpstreamFailure.Kind.REFUSED_REDIRECT, failure.kind());
            assertTrue(failure.getMessage().contains("inside.test") && failure.getMessage().contains("LOOPBACK"),
                    failure.getMessage());
            assertEquals(0, origin.requests("/never").size());
            assertEquals(502, ErrorResponses.of(failure.rejection()).status());
        }
    }

    @Test
    void aHopToANameResolvingToTheMetadataAddressIsRefused() throws Exception {
        try (var client = client(RedirectTargets.NONE)) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> get(client, "/vod/to-metadata-name"));
            assertEquals(UpstreamFailure.Kind.REFUSED_REDIRECT, failure.kind());
            assertTrue(failure.getMessage().contains("169.254.169.254"), failure.getMessage());
        }
    }

    @Test
    void aHopPermittedByAllowCidrsIsFetchedThroughItsPinnedAddress() throws Exception {
        var targets = new RedirectTargets(List.of(), List.of(Cidr.parse("127.0.0.1/32").orElseThrow()));
        try (var client = client(targets)) {
            assertEquals("served /vod/media", body(get(client, "/vod/to-pinned-name")));
        }
    }

    @Test
    void aHopToAnAllowedHostSkipsTheAddressChecks() throws Exception {
        try (var client = client(RedirectTargets.NONE)) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> get(client, "/vod/to-localhost"));
            assertEquals(UpstreamFailure.Kind.REFUSED_REDIRECT, failure.kind());
        }
        var targets = new RedirectTargets(List.of(HostPattern.parse("localhost").orElseThrow()), List.of());
        try (var client = client(targets)) {
            assertEquals("served /vod/media", body(get(client, "/vod/to-localhost")));
        }
    }
}
