package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.Headers;
import dev.sprox.http.Response;
import dev.sprox.pipeline.ErrorResponses;
import dev.sprox.security.Cidr;
import dev.sprox.security.DestinationGuard;
import dev.sprox.security.HostResolver;
import dev.sprox.telemetry.Tracing;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.testing.VersionedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Origin exchanges are bounded in number, so what the HttpClient reads for them is bounded too: a request waits
 * for a share, a client that stopped reading gives its share up sooner while others wait, a request that waited its
 * read timeout is refused with a 503, and every way an exchange ends gives its share back.
 */
class OriginExchangesTest {
    private static final byte[] MEDIA = media();
    private static final Cidr LOOPBACK = Cidr.parse("127.0.0.0/8").orElseThrow();
    /** A connection refused is a failure at once, not after the retries' back-off. */
    private static final RetryConfig ONE_ATTEMPT = new RetryConfig(1, Duration.ofMillis(100), 2.0,
            Duration.ofSeconds(5), 0.2, 0.2, Duration.ofSeconds(10), 10);
    private final MockOrigin origin = MockOrigin.start();

    @AfterEach
    void closeOrigin() {
        origin.close();
    }

    @Test
    @Timeout(60)
    void aClientThatStopsReadingMakesRoomForTheNextRequestAndLaterGetsEveryByte() throws Exception {
        origin.dispatch(new VersionedFile(MEDIA, Optional.of("\"v1\"")));
        var exchanges = new OriginExchanges(1);
        // Longer than the pause a waiting request tolerates before a stalled client gives way, shorter than the 2 s
        // after which it would give way anyway.
        try (UpstreamClient client = client(exchanges, Duration.ofMillis(1500))) {
            StalledClient stalled = StalledClient.relaying(get(client));

            byte[] second;
            try (UpstreamResponse response = get(client); InputStream body = response.body()) {
                second = body.readAllBytes();
            }

            assertArrayEquals(MEDIA, second);
            assertArrayEquals(MEDIA, stalled.readToEnd());
            List<RecordedRequest> requests = origin.requests("/vod/seg.ts");
            assertTrue(requests.stream().anyMatch(r -> r.header("If-Range").equals(Optional.of("\"v1\""))),
                    requests::toString);
        }
    }

    @Test
    @Timeout(30)
    void aRequestThatFindsEveryExchangeTakenForItsReadTimeoutIsRefusedWith503() throws Exception {
        // A weak tag cannot be resumed, so the stalled client that holds the only exchange keeps it.
        origin.dispatch(new VersionedFile(MEDIA, Optional.of("W/\"v1\"")));
        var exchanges = new OriginExchanges(1);
        try (UpstreamClient client = client(exchanges, Duration.ofMillis(600))) {
            StalledClient stalled = StalledClient.relaying(get(client));

            UpstreamFailure refused = assertThrows(UpstreamFailure.class, () -> get(client));
            Response answer = ErrorResponses.of(refused.rejection());

            assertEquals(UpstreamFailure.Kind.OVERLOADED, refused.kind());
            assertEquals(503, answer.status());
            assertEquals(Optional.of("1"), answer.headers().first("Retry-After"));
            assertEquals(1, origin.requestCount(), "the refused request never reached the origin");
            assertArrayEquals(MEDIA, stalled.readToEnd());
            try (UpstreamResponse next = get(client); InputStream body = next.body()) {
                assertArrayEquals(MEDIA, body.readAllBytes());
            }
        }
    }

    @Test
    @Timeout(30)
    void aRedirectWhoseBodyNeverComesDoesNotHoldItsExchange() throws Exception {
        origin.answer("/vod/moved", MockResponse.ok(new byte[1000]).withStatus(302).header("Location", "/vod/seg.ts")
                        .throttle(1, Duration.ofSeconds(10)))
                .answer("/vod/seg.ts", MockResponse.ok(MEDIA));
        var exchanges = new OriginExchanges(1);
        try (UpstreamClient client = client(exchanges, Duration.ofSeconds(5))) {
            try (UpstreamResponse followed = send(client, origin.url("/vod/moved")); InputStream body = followed.body()) {
                assertArrayEquals(MEDIA, body.readAllBytes());
            }
            assertEquals(0, exchanges.open());
        }
    }

    @Test
    @Timeout(60)
    void everyWayAnExchangeEndsGivesItsShareBack() throws Exception {
        origin.answer("/vod/seg.ts", MockResponse.ok(MEDIA))
                .answer("/vod/gone", MockResponse.status(404));
        var exchanges = new OriginExchanges(1);
        // With one share, a share not given back makes the next request wait 300 ms and fail.
        try (UpstreamClient client = client(exchanges, Duration.ofMillis(300))) {
            for (int round = 0; round < 3; round++) {
                try (UpstreamResponse read = get(client); InputStream body = read.body()) {
                    assertArrayEquals(MEDIA, body.readAllBytes());
                }
                get(client).close();
                try (UpstreamResponse halfRead = get(client); InputStream body = halfRead.body()) {
                    assertEquals(1000, body.readNBytes(1000).length);
                }
                try (UpstreamResponse notFound = send(client, origin.url("/vod/gone"))) {
                    assertEquals(404, notFound.status());
                }
                assertEquals(UpstreamFailure.Kind.UNREACHABLE,
                        assertThrows(UpstreamFailure.class, () -> send(client, closedPortUrl())).kind());
            }
            // Read to its end and not closed: the end alone gives the share back.
            UpstreamResponse unclosed = get(client);
            assertArrayEquals(MEDIA, unclosed.body().readAllBytes());
            assertEquals(0, exchanges.open());
            assertEquals(0, exchanges.waiting());
        }
    }

    private UpstreamClient client(OriginExchanges exchanges, Duration readTimeout) throws Exception {
        URI base = URI.create(origin.url("/vod"));
        var config = new UpstreamConfig(base, Duration.ofSeconds(2), readTimeout, Optional.empty(),
                UpstreamTlsConfig.DEFAULT, Optional.empty(), 3, RedirectTargets.NONE,
                ONE_ATTEMPT, HeaderPolicy.DEFAULT);
        return new UpstreamClient(config, SSLContext.getDefault(), Optional.empty(),
                HopCheck.guardedBy(DestinationGuard.anyHost(List.of(LOOPBACK), HostResolver.system())),
                UpstreamEvents.NONE, exchanges);
    }

    private UpstreamResponse get(UpstreamClient client) throws UpstreamFailure {
        return send(client, origin.url("/vod/seg.ts"));
    }

    private static UpstreamResponse send(UpstreamClient client, String url) throws UpstreamFailure {
        return client.send(new UpstreamRequest("GET", URI.create(url), Headers.EMPTY, Optional.empty(), 0),
                Tracing.OFF);
    }

    private static String closedPortUrl() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/vod/seg.ts";
        }
    }

    private static byte[] media() {
        byte[] bytes = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    /** A client that takes the first 256 KiB of a body relayed to it, then no more until told to read on. */
    private static final class StalledClient extends OutputStream {
        private static final int BEFORE_STALL = 256 * 1024;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CountDownLatch stalled = new CountDownLatch(1);
        private final CountDownLatch readOn = new CountDownLatch(1);
        private Thread relay;

        /** Relays {@code response} to a new such client on a thread of its own; returns once the client stopped. */
        static StalledClient relaying(UpstreamResponse response) throws InterruptedException {
            var client = new StalledClient();
            client.relay = Thread.ofVirtual().start(() -> {
                try (response) {
                    BodyRelay.copy(response.body(), client);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(client.stalled.await(30, TimeUnit.SECONDS), "the client never stalled");
            return client;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (received.size() >= BEFORE_STALL) {
                stalled.countDown();
                try {
                    readOn.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
            received.write(bytes, offset, length);
        }

        /** Lets the client read on; all it received once the relay ended. */
        byte[] readToEnd() throws InterruptedException {
            readOn.countDown();
            relay.join();
            return received.toByteArray();
        }
    }
}
