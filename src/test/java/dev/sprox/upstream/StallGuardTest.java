package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Streams whose clients stopped reading, relayed to a real socket that nobody reads, and what the guard does. */
class StallGuardTest {
    private static final MockOrigin origin = MockOrigin.start()
            .dispatch(request -> MockResponse.ok(new byte[8 * 1024 * 1024]));
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        origin.close();
        CLIENT.close();
    }

    @Test
    void whenTheHeapIsShortAStreamBlockedOnItsClientIsCutAndItsMemoryGivenBack() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (var stalled = new StalledStream(memory)) {
            stalled.awaitBlocked();

            int cut = StallGuard.sweep(List.of(stalled.body), System.nanoTime() + StallGuard.SHED_AFTER_NANOS, true);

            assertEquals(1, cut);
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> stalled.relay.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, ended.getCause());
            assertEquals(StreamMemory.PLAIN_PIECES, memory.free());
        }
    }

    @Test
    void whileTheHeapHasRoomAStreamBlockedOnItsClientWaitsForTheSendTimeout() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (var stalled = new StalledStream(memory)) {
            stalled.awaitBlocked();

            int cut = StallGuard.sweep(List.of(stalled.body), System.nanoTime() + StallGuard.SHED_AFTER_NANOS, false);

            assertEquals(0, cut);
            assertEquals(0, memory.free(), "the stream still holds its share");
        }
    }

    /** An origin's body relayed to a loopback client that never reads. */
    private static final class StalledStream implements AutoCloseable {
        final StallGuard.Guarded body;
        final CompletableFuture<Void> relay;
        private final ServerSocket server;
        private final Socket client;
        private final Socket accepted;

        StalledStream(StreamMemory memory) throws Exception {
            StreamMemory.Share share = memory.reserve(StreamMemory.PLAIN_PIECES, 0);
            var request = HttpRequest.newBuilder(URI.create(origin.url("/seg.ts"))).build();
            body = StallGuard.guard(CLIENT.send(request, PacedBody.handler()).body(), TimeUnit.SECONDS.toNanos(30),
                    0, share);
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            client = new Socket();
            client.setReceiveBufferSize(4096);
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            accepted = server.accept();
            relay = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    BodyRelay.copy(body, accepted.getOutputStream());
                    relay.complete(null);
                } catch (IOException | RuntimeException e) {
                    relay.completeExceptionally(e);
                }
            });
        }

        /** Until a write to the client has blocked (the kernel's buffers are full) past the guard's patience. */
        void awaitBlocked() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!body.sendingLongerThan(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200))) {
                if (System.nanoTime() > deadline || relay.isDone()) {
                    throw new AssertionError("the relay never blocked on its client");
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
            server.close();
            body.close();
        }
    }
}
