package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class BodyRelayTest {
    private static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        new Random(20).nextBytes(data);
        return data;
    }

    @Test
    void writesAnOriginsBodyFromTheHttpClientsPiecesByteForByte() throws Exception {
        byte[] body = randomBytes(3 * 1024 * 1024 + 17);
        try (MockOrigin origin = MockOrigin.start().answer("/seg.ts", MockResponse.ok(body));
             HttpClient client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create(origin.url("/seg.ts"))).build();
            PacedBody paced = client.send(request, PacedBody.handler(Answers.share())).body();
            var out = new ByteArrayOutputStream();

            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> BodyRelay.copy(
                    StallGuard.guard(paced, Optional.empty(), new OriginExchanges(1), Duration.ofSeconds(30).toNanos(),
                            0), out));

            assertArrayEquals(body, out.toByteArray());
        }
    }

    @Test
    void aClientSlowerThanTheReadTimeoutDoesNotCutTheBody() throws Exception {
        byte[] body = randomBytes(16 * 1024);
        StallGuard.Guarded origin = slowlyAnswered(body);
        var client = new SlowClient(Duration.ofMillis(800));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> BodyRelay.copy(origin, client));

        assertArrayEquals(body, client.received.toByteArray());
    }

    @Test
    void aClientSlowerThanTheReadTimeoutDoesNotCutASniffedBody() throws Exception {
        // A direct stream's body whose type the origin did not say: its first bytes were read to tell whether it
        // is a playlist, and are sent first.
        byte[] body = randomBytes(16 * 1024);
        StallGuard.Guarded origin = slowlyAnswered(body);
        OriginPlaylist.Sniffed sniffed = OriginPlaylist.sniff(origin);
        var client = new SlowClient(Duration.ofMillis(800));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> BodyRelay.copy(sniffed.head(), origin, client));

        assertArrayEquals(body, client.received.toByteArray());
    }

    /**
     * Each piece of 4 KiB comes 150 ms after it is asked for, well within the 400 ms read timeout; the client
     * takes its first piece in 800 ms, and that time is not the origin's.
     */
    private static StallGuard.Guarded slowlyAnswered(byte[] body) {
        return StallGuard.guard(slowOrigin(body, 4 * 1024, Duration.ofMillis(150)), Optional.empty(),
                new OriginExchanges(1), Duration.ofMillis(400).toNanos(), 0);
    }

    /** An origin's body in pieces of {@code pieceSize}, each handed over {@code delay} after it is asked for. */
    private static PacedBody slowOrigin(byte[] body, int pieceSize, Duration delay) {
        var paced = new PacedBody(Answers.share());
        paced.onSubscribe(new Flow.Subscription() {
            private int sent;

            @Override
            public void request(long n) {
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (sent == body.length) {
                        paced.onComplete();
                        return;
                    }
                    // Counted before it is handed over: the reader asks for the next one as soon as it has it.
                    int from = sent;
                    sent = Math.min(body.length, from + pieceSize);
                    paced.onNext(List.of(ByteBuffer.wrap(body, from, sent - from).slice().asReadOnlyBuffer()));
                });
            }

            @Override
            public void cancel() {
            }
        });
        return paced;
    }

    /** A client whose first write takes {@code pause}, as a player that paused mid-body; the rest go at once. */
    private static final class SlowClient extends OutputStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private Duration pause;

        SlowClient(Duration pause) {
            this.pause = pause;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (pause != null) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted while pausing");
                }
                pause = null;
            }
            received.write(bytes, offset, length);
        }
    }
}
