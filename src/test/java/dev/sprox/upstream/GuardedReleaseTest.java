package dev.sprox.upstream;

import static dev.sprox.upstream.Answers.URL;
import static dev.sprox.upstream.Answers.answer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sprox.http.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the reader of an origin's body sees when the stall guard let the origin go while its client was taking a
 * piece: the rest from where it stopped, or the end if nothing was left.
 */
class GuardedReleaseTest {
    private static final long READ_TIMEOUT = Duration.ofSeconds(30).toNanos();
    private static final byte[] FILE = new byte[100];

    static {
        for (int i = 0; i < FILE.length; i++) {
            FILE[i] = (byte) i;
        }
    }

    private final List<Headers> asked = new ArrayList<>();

    @Test
    @Timeout(10)
    void aBodyLetGoMidwayGoesOnFromTheFirstByteNotDelivered() throws Exception {
        var out = new ByteArrayOutputStream();
        StallGuard.Guarded body = letGoAfter(40, out);

        ByteBuffer piece;
        while ((piece = body.nextPiece()) != null) {
            out.write(bytes(piece));
        }

        assertArrayEquals(FILE, out.toByteArray());
        assertEquals(1, asked.size());
        assertEquals(Optional.of("bytes=40-99"), asked.getFirst().first("Range"));
    }

    @Test
    @Timeout(10)
    void aBodyLetGoWhileItsLastPieceWasTakenEndsWithoutAskingAgain() throws Exception {
        var out = new ByteArrayOutputStream();
        StallGuard.Guarded body = letGoAfter(FILE.length, out);

        assertNull(body.nextPiece());
        assertEquals(-1, body.read(new byte[1], 0, 1));
        assertArrayEquals(FILE, out.toByteArray());
        assertEquals(List.of(), asked);
    }

    /** The file's body, its first piece ({@code length} bytes) taken into {@code out} while the origin was let go. */
    private StallGuard.Guarded letGoAfter(int length, ByteArrayOutputStream out) throws Exception {
        StallGuard.Guarded body = guarded(origin(0, length));
        takeWhileLetGo(body, out);
        return body;
    }

    /** A 200 for the whole file whose origin answers a resumption with the rest; {@link #asked} records them. */
    private StallGuard.Guarded guarded(PacedBody first) {
        Resumption resumption = Resumption.of(new UpstreamRequest("GET", URL, Headers.EMPTY, Optional.empty(), -1),
                answer(200, "Content-Length", "100", "Accept-Ranges", "bytes", "ETag", "\"v1\""), URL, Headers.EMPTY,
                (uri, headers) -> {
                    asked.add(headers);
                    int from = Integer.parseInt(headers.first("Range").orElseThrow().replaceAll("\\D*(\\d+)-.*", "$1"));
                    return answer(206, origin(from, FILE.length - from), "Content-Range",
                            "bytes " + from + "-99/100", "ETag", "\"v1\"");
                }, UpstreamEvents.NONE).orElseThrow();
        return StallGuard.guard(first, Optional.of(resumption), new OriginExchanges(1), READ_TIMEOUT, 0);
    }

    /** Reads one piece and hands it over to a client that takes it only after the sweeper let the origin go. */
    private static void takeWhileLetGo(StallGuard.Guarded body, ByteArrayOutputStream out) throws Exception {
        ByteBuffer piece = body.nextPiece();
        var writing = new CountDownLatch(1);
        var letGo = new CountDownLatch(1);
        Thread sweeper = Thread.ofVirtual().start(() -> {
            try {
                writing.await();
                body.releaseIfWaiting(System.nanoTime() + StallGuard.RELEASE_AFTER_NANOS + 1,
                        StallGuard.RELEASE_AFTER_NANOS);
                letGo.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        body.handOver(() -> {
            writing.countDown();
            try {
                letGo.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            out.write(bytes(piece));
        });
        sweeper.join();
    }

    /** The file's bytes from {@code from}, {@code length} of them in one piece, as an origin's body. */
    private static PacedBody origin(int from, int length) {
        var body = new PacedBody(Answers.share());
        body.onSubscribe(new Flow.Subscription() {
            private boolean sent;

            @Override
            public void request(long n) {
                if (sent) {
                    body.onComplete();
                } else {
                    sent = true;
                    body.onNext(List.of(ByteBuffer.wrap(FILE, from, length).slice().asReadOnlyBuffer()));
                }
            }

            @Override
            public void cancel() {
            }
        });
        return body;
    }

    private static byte[] bytes(ByteBuffer piece) {
        byte[] bytes = new byte[piece.remaining()];
        piece.get(bytes);
        return bytes;
    }
}
