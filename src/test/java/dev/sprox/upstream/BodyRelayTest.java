package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyRelayTest {
    private static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        new Random(20).nextBytes(data);
        return data;
    }

    @Test
    void copiesEveryByteThroughItsOwnBufferAndThenTheSharedOnes() throws Exception {
        byte[] body = randomBytes(3 * 1024 * 1024 + 17);
        var out = new ByteArrayOutputStream();

        BodyRelay.copy(new ByteArrayInputStream(body), out, new RelayBuffers(1));

        assertArrayEquals(body, out.toByteArray());
    }

    @Test
    void aStreamWithinItsFirstStretchNeedsNoSharedBuffer() throws Exception {
        // Every shared buffer is held, as by players that stopped reading: a new stream still starts.
        var buffers = new RelayBuffers(1);
        buffers.take(0);
        byte[] body = randomBytes((int) BodyRelay.FIRST_STRETCH / 2);
        var out = new ByteArrayOutputStream();

        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> BodyRelay.copy(new ByteArrayInputStream(body), out, buffers));

        assertArrayEquals(body, out.toByteArray());
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
}
