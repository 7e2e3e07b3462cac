package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code direct_stream.max_concurrent}: a stream holds its slot until its last byte is sent or its client leaves;
 * one request too many is answered 503 with Retry-After at once, not queued. Also: a chunked origin body streams
 * through as it comes.
 */
class DirectConcurrencyTest extends DirectHarness {
    @Test
    void oneStreamTooManyIs503UntilTheFirstFinishes() throws Exception {
        var release = new CountDownLatch(1);
        origin.answer("/held.ts", held("first half ", release, "second half"));
        startDirect("max_concurrent: 1");
        String held = stream("/held.ts");
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(request(held).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitActiveStreams(1);

        HttpResponse<String> refused = fetch(held);
        assertEquals(503, refused.statusCode());
        assertEquals(Optional.of("1"), refused.headers().firstValue("Retry-After"));

        release.countDown();
        assertEquals("first half second half", first.get(10, TimeUnit.SECONDS).body());
        awaitActiveStreams(0);
        assertEquals(200, fetch(held).statusCode());
        assertMetricEventually(1, "sprox_direct_requests_total{endpoint=\"stream\",outcome=\"busy\"}");
    }

    @Test
    void aClientLeavingMidStreamGivesItsSlotBack() throws Exception {
        var originWriteFailed = new CompletableFuture<Throwable>();
        origin.answer("/endless.ts", MockResponse.status(200).body(-1, out -> {
            byte[] chunk = new byte[16 * 1024];
            try {
                while (true) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(5);
                }
            } catch (IOException | InterruptedException e) {
                originWriteFailed.complete(e);
            }
        }));
        startDirect("max_concurrent: 1");
        String endless = stream("/endless.ts");

        try (var socket = new Socket()) {
            socket.connect(address("public"), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + endless + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertTrue(in.readNBytes(64 * 1024).length > 0);
            awaitActiveStreams(1);
        }

        awaitActiveStreams(0);
        originWriteFailed.get(10, TimeUnit.SECONDS);
        assertMetricEventually(1, "sprox_direct_requests_total{endpoint=\"stream\",outcome=\"aborted\"}");
    }

    @Test
    void aChunkedOriginBodyStreamsThroughAsItComes() throws Exception {
        var secondChunkSent = new CountDownLatch(1);
        var firstChunkSeen = new CountDownLatch(1);
        origin.answer("/live.ts", MockResponse.status(200).type("video/mp2t").body(-1, out -> { // no length: chunked
            out.write("chunk-1;".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                firstChunkSeen.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted before the second chunk");
            }
            out.write("chunk-2".getBytes(StandardCharsets.US_ASCII));
            secondChunkSent.countDown();
        }));
        startDirect();

        HttpResponse<InputStream> response = client.send(request(stream("/live.ts")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertEquals("chunk-1;", new String(body.readNBytes(8), StandardCharsets.US_ASCII),
                    "the first chunk arrives before the origin sends the second");
            firstChunkSeen.countDown();
            assertEquals("chunk-2", new String(body.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals(Optional.empty(), response.headers().firstValue("Content-Length"));
        assertEquals(Optional.of("chunked"), response.headers().firstValue("Transfer-Encoding"));
        assertTrue(secondChunkSent.await(1, TimeUnit.SECONDS));
    }

    private void awaitActiveStreams(double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metric("sprox_direct_streams_active") != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, metric("sprox_direct_streams_active"), "direct streams holding a slot");
    }
}
