package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.direct.DirectStreams;
import dev.sprox.http.Headers;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.ErrorResponses;
import dev.sprox.security.AllowRule;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct client against a real origin on loopback, with names that only a resolver fixture knows: a fetch
 * that succeeds proves the JDK connected to the pinned address, and redirects are checked hop by hop.
 */
class DirectHopCheckTest {
    /** Redirects where a path says; {@code /never} is where refused hops point; anything else is "served PATH". */
    private static MockOrigin origin;

    @BeforeAll
    static void startOrigin() {
        origin = MockOrigin.start();
        int port = origin.port();
        origin.answer("/to-short-loopback", redirect("http://127.1:" + port + "/never"))
                .answer("/to-rebound-name", redirect("http://rebind.test:" + port + "/never"))
                .answer("/to-pinned-name", redirect("http://pinned.test:" + port + "/media"))
                .dispatch(request -> MockResponse.ok("served " + request.path()));
    }

    private static MockResponse redirect(String location) {
        return MockResponse.status(302).header("Location", location);
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    /** Names real DNS never answers (RFC 6761 .test), resolved by the fixture only. */
    private static final HostResolver FIXTURE = name -> {
        Map<String, String> names = Map.of("pinned.test", "127.0.0.1", "rebind.test", "127.0.0.2");
        String address = names.get(name);
        if (address == null) {
            throw new UnknownHostException(name);
        }
        return List.of(InetAddress.ofLiteral(address));
    };

    /** Every name on the origin's ephemeral port, which the allowlist must list. */
    private static List<AllowRule> allowlist() {
        Set<Integer> port = Set.of(URI.create(origin.url("/")).getPort());
        return List.of(
                new AllowRule("pinned.test", Set.of("http"), List.of(), port),
                new AllowRule("rebind.test", Set.of("http"), List.of(), port),
                new AllowRule("127.0.0.1", Set.of("http"), List.of(), port));
    }

    private static UpstreamClient client(List<Cidr> allowCidrs) throws Exception {
        var guard = new DestinationGuard(allowlist(), allowCidrs, FIXTURE);
        return DirectStreams.client(DirectStreamConfig.DEFAULT, guard, () -> { });
    }

    private static List<Cidr> loopbackAllowed() {
        return List.of(Cidr.parse("127.0.0.1/32").orElseThrow());
    }

    private static UpstreamResponse get(UpstreamClient client, String url) throws UpstreamFailure {
        var request = new UpstreamRequest("GET", URI.create(url), Headers.EMPTY, Optional.empty(), 0);
        return client.send(request, Tracing.OFF);
    }

    private static String url(String host, String path) {
        return "http://" + host + ":" + URI.create(origin.url("/")).getPort() + path;
    }

    private static String body(UpstreamResponse response) throws IOException {
        try (response; InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void nameOnlyTheFixtureKnowsIsFetchedThroughItsPinnedAddress() throws Exception {
        try (var client = client(loopbackAllowed())) {
            UpstreamResponse response = get(client, url("pinned.test", "/media"));
            assertEquals(200, response.status());
            assertEquals("served /media", body(response));
        }
    }

    @Test
    void pinsMatchTheNameWhateverItsCaseAndTrailingDot() throws Exception {
        try (var client = client(loopbackAllowed())) {
            assertEquals("served /media", body(get(client, url("PINNED.Test.", "/media"))));
        }
    }

    @Test
    void sameNameWithoutAllowCidrsIsRefusedAs403() throws Exception {
        try (var client = client(List.of())) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class,
                    () -> get(client, url("pinned.test", "/media")));
            assertEquals(UpstreamFailure.Kind.REFUSED_DESTINATION, failure.kind());
            var response = ErrorResponses.of(failure.rejection());
            assertEquals(403, response.status());
            assertEquals("destination address is loopback\n",
                    new String(((ResponseBody.Bytes) response.body()).data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void redirectToAShortLoopbackSpellingIsRefusedAtTheHop() throws Exception {
        try (var client = client(loopbackAllowed())) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class,
                    () -> get(client, url("127.0.0.1", "/to-short-loopback")));
            assertEquals(UpstreamFailure.Kind.REFUSED_DESTINATION, failure.kind());
            assertEquals(0, origin.requests("/never").size());
        }
    }

    @Test
    void redirectToANameResolvingToLoopbackIsRefusedAtTheHop() throws Exception {
        try (var client = client(loopbackAllowed())) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class,
                    () -> get(client, url("127.0.0.1", "/to-rebound-name")));
            assertEquals(UpstreamFailure.Kind.REFUSED_DESTINATION, failure.kind());
            assertEquals("destination address is loopback", failure.getMessage());
            assertEquals(0, origin.requests("/never").size());
        }
    }

    @Test
    void redirectToAnAdmittedNameIsFollowed() throws Exception {
        try (var client = client(loopbackAllowed())) {
            assertEquals("served /media", body(get(client, url("127.0.0.1", "/to-pinned-name"))));
        }
    }

    @Test
    void unresolvableNameIs502NotForbidden() throws Exception {
        var guard = new DestinationGuard(List.of(new AllowRule("nowhere.test", Set.of("http"), List.of(),
                Set.of(URI.create(origin.url("/")).getPort()))),
                loopbackAllowed(), FIXTURE);
        try (var client = DirectStreams.client(DirectStreamConfig.DEFAULT, guard, () -> { })) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> get(client, url("nowhere.test", "/")));
            assertEquals(UpstreamFailure.Kind.UNREACHABLE, failure.kind());
            assertEquals(502, ErrorResponses.of(failure.rejection()).status());
        }
    }
}
