package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.security.DestinationGuard;
import dev.sprox.telemetry.Tracing;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A route's client takes its exchanges' memory from a {@link StreamMemory} and always gives it back. */
class UpstreamClientMemoryTest {
    private static final MockOrigin origin = MockOrigin.start()
            .dispatch(request -> MockResponse.ok(new byte[1024 * 1024]));

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @Test
    void aRequestThatFindsTheMemorySpentIsAnswered503WithRetryAfter() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (UpstreamClient client = client(URI.create(origin.url("/")), memory);
             UpstreamResponse held = get(client, "/a.ts")) {

            UpstreamFailure refused = assertThrows(UpstreamFailure.class, () -> get(client, "/b.ts"));

            assertEquals(UpstreamFailure.Kind.OVERLOADED, refused.kind());
            assertEquals(RequestError.OVERLOADED, refused.rejection().error());
            assertEquals(Optional.of(Duration.ofSeconds(1)), refused.rejection().retryAfter());
        }
    }

    @Test
    void aClosedResponseGivesItsShareToTheNextRequest() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (UpstreamClient client = client(URI.create(origin.url("/")), memory)) {
            get(client, "/a.ts").close();

            try (UpstreamResponse next = get(client, "/b.ts")) {
                assertEquals(200, next.status());
            }
            assertEquals(StreamMemory.PLAIN_PIECES, memory.free());
        }
    }

    @Test
    void aBodyReadToItsEndGivesItsShareBack() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (UpstreamClient client = client(URI.create(origin.url("/")), memory)) {
            UpstreamResponse response = get(client, "/a.ts");
            try (InputStream body = response.body()) {
                body.transferTo(OutputStream.nullOutputStream());
                assertEquals(StreamMemory.PLAIN_PIECES, memory.free(), "given back at the end, before the close");
            }
        }
    }

    @Test
    void anOriginThatCannotBeReachedTakesNoMemory() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + closedPort + "/a.ts");
        try (UpstreamClient client = client(closed, memory)) {
            UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> send(client, closed));

            assertEquals(UpstreamFailure.Kind.UNREACHABLE, failure.kind());
            assertEquals(StreamMemory.PLAIN_PIECES, memory.free());
        }
    }

    private static UpstreamClient client(URI base, StreamMemory memory) throws Exception {
        var retry = new RetryConfig(1, Duration.ofMillis(10), 2.0, Duration.ofMillis(10), 0, 0.2,
                Duration.ofSeconds(10), 10);
        var config = new UpstreamConfig(base, Duration.ofMillis(300), Duration.ofSeconds(5), Optional.empty(),
                UpstreamTlsConfig.DEFAULT, Optional.empty(), 0, RedirectTargets.NONE, retry,
                HeaderPolicy.DEFAULT);
        var hops = HopCheck.leavingOrigin(base, config.redirectTargets(), DestinationGuard.anyHost(List.of(),
                name -> List.of()));
        return new UpstreamClient(config, SSLContext.getDefault(), Optional.empty(), hops, () -> { }, memory);
    }

    private static UpstreamResponse get(UpstreamClient client, String path) throws UpstreamFailure {
        return send(client, URI.create(origin.url(path)));
    }

    private static UpstreamResponse send(UpstreamClient client, URI uri) throws UpstreamFailure {
        return client.send(new UpstreamRequest("GET", uri, Headers.EMPTY, Optional.empty(), 0), Tracing.OFF);
    }
}
