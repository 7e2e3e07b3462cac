package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.PausingPlayer;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.testing.VersionedFile;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The direct endpoints never send an origin a Range their client did not send (DESIGN.md §3), so unlike a route's
 * a paused direct stream keeps its origin connection, however resumable the file.
 */
class PausedDirectStreamTest extends DirectHarness {

    @Test
    @Timeout(60)
    void aPausedDirectStreamKeepsItsOriginAndSendsNoRangeOfItsOwn() throws Exception {
        byte[] media = new byte[4 * 1024 * 1024];
        new Random(1).nextBytes(media);
        origin.dispatch(new VersionedFile(media, Optional.of("\"5f1e-v1\"")));
        startDirect();

        try (PausingPlayer player = PausingPlayer.get(address("public"), stream("/vod/seg.ts"))) {
            int length = player.readHead();
            byte[] before = player.read(128 * 1024);
            Thread.sleep(6_000);
            assertEquals(1, origin.openConnections(), "the origin was let go");

            byte[] rest = player.read(length - before.length);

            byte[] received = Arrays.copyOf(before, length);
            System.arraycopy(rest, 0, received, before.length, rest.length);
            assertArrayEquals(media, received);
        }
        List<RecordedRequest> requests = origin.requests();
        assertEquals(1, requests.size(), requests::toString);
        assertEquals(Optional.empty(), requests.getFirst().header("Range"));
    }
}
