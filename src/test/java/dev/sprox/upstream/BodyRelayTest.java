package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
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
}
