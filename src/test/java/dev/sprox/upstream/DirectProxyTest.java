package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.direct.DirectStreams;
import dev.sprox.http.Headers;
import dev.sprox.security.AllowRule;
import dev.sprox.security.DestinationGuard;
import dev.sprox.telemetry.Tracing;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code proxy_url} the guard still runs in sprox; the request itself goes to the proxy, by name. */
class DirectProxyTest {
    /** A forward proxy that answers itself, naming the absolute-form target it was asked for. */
    private final MockOrigin proxy = MockOrigin.start()
            .dispatch(request -> MockResponse.ok("via proxy " + request.target()));

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private UpstreamClient client() throws Exception {
        var guard = new DestinationGuard(List.of(new AllowRule("public.test", Set.of("http"), List.of(), Set.of()),
                new AllowRule("127.0.0.1", Set.of("http"), List.of(), Set.of())), List.of(), name -> {
                    if (!name.equals("public.test")) {
                        throw new UnknownHostException(name);
                    }
                    return List.of(InetAddress.ofLiteral("93.184.216.34"));
                });
        DirectStreamConfig d = DirectStreamConfig.DEFAULT;
        var config = new DirectStreamConfig(d.allowlist(), d.allowCidrs(), d.apiPassword(), d.signingSecret(),
                d.signedUrlTtl(), d.maxConcurrent(), d.connectTimeout(), d.readTimeout(), d.requestTimeout(),
                d.followRedirects(), d.retry(),
                Optional.of(new OutboundProxy.Http("localhost", proxy.port())),
                d.redactDestinationQuery(), d.maxPlaylistBytes(), d.maxRewrittenPlaylistBytes());
        return DirectStreams.client(config, guard, () -> { });
    }

    private static UpstreamRequest get(String url) {
        return new UpstreamRequest("GET", URI.create(url), Headers.EMPTY, Optional.empty(), 0);
    }

    @Test
    void admittedDestinationIsFetchedThroughTheProxy() throws Exception {
        try (var client = client(); UpstreamResponse response = client.send(get("http://public.test/a.ts"),
                Tracing.OFF); InputStream body = response.body()) {
            assertEquals("via proxy http://public.test/a.ts", new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("GET http://public.test/a.ts HTTP/1.1", proxy.only().requestLine());
    }

    @Test
    void guardStillRefusesBeforeAnythingReachesTheProxy() throws Exception {
        try (var client = client()) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class,
                    () -> client.send(get("http://127.0.0.1/a.ts"), Tracing.OFF));
            assertEquals(UpstreamFailure.Kind.REFUSED_DESTINATION, failure.kind());
        }
        assertEquals(0, proxy.connectionCount(), "nothing reached the proxy");
    }
}
