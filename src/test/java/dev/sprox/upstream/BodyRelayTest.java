package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyRelayTest {
    private static final byte[] BODY = randomBytes(3 * 1024 * 1024 + 17);

    private static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        new Random(20).nextBytes(data);
        return data;
    }

    @Test
    void copiesEveryByteOfABodyThatIsNotStraightFromAnOrigin() throws Exception {
        var out = new ByteArrayOutputStream();

        BodyRelay.copy(new ByteArrayInputStream(BODY), out);

        assertArrayEquals(BODY, out.toByteArray());
    }

    @Test
    void writesAnOriginsBodyFromTheHttpClientsPiecesByteForByte() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (MockOrigin origin = MockOrigin.start().answer("/seg.ts", MockResponse.ok(BODY));
             HttpClient client = HttpClient.newHttpClient()) {
            var out = new ByteArrayOutputStream();

            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> BodyRelay.copy(body(origin, client, memory), out));

            assertArrayEquals(BODY, out.toByteArray());
            assertEquals(StreamMemory.PLAIN_PIECES, memory.free(), "the exchange's share is back");
        }
    }

    @Test
    void aClientThatGoesAwayGivesItsShareBack() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        try (MockOrigin origin = MockOrigin.start().answer("/seg.ts", MockResponse.ok(BODY));
             HttpClient client = HttpClient.newHttpClient()) {
            StallGuard.Guarded body = body(origin, client, memory);

            assertThrows(IOException.class, () -> BodyRelay.copy(body, new GoneClient()));

            assertEquals(StreamMemory.PLAIN_PIECES, memory.free());
        }
    }

    private static StallGuard.Guarded body(MockOrigin origin, HttpClient client, StreamMemory memory)
            throws Exception {
        StreamMemory.Share share = memory.reserve(StreamMemory.PLAIN_PIECES, 0);
        var request = HttpRequest.newBuilder(URI.create(origin.url("/seg.ts"))).build();
        PacedBody paced = client.send(request, PacedBody.handler()).body();
        return StallGuard.guard(paced, Duration.ofSeconds(30).toNanos(), 0, share);
    }

    /** A client whose connection broke after the first write. */
    private static final class GoneClient extends OutputStream {
        private boolean wrote;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            if (wrote) {
                throw new IOException("Broken pipe");
            }
            wrote = true;
        }
    }
}
