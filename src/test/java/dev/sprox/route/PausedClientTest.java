package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.PausingPlayer;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.testing.VersionedFile;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A player that stops reading mid-segment (paused, or a tab in the background) does not keep an origin connection
 * and what the HttpClient read ahead for it: sprox lets the origin go and, when the player reads on, asks for the
 * rest with a range conditional on the same representation. The player gets the same bytes either way, or, if the
 * origin's file changed meanwhile, a body cut short rather than two versions spliced together.
 */
class PausedClientTest extends OriginHarness {
    private static final int LENGTH = 4 * 1024 * 1024;
    private static final int BEFORE_PAUSE = 128 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    /** sprox lets go after 2 s; the HttpClient closes the connection on its selector's next pass, up to 3 s on. */
    private static final Duration RELEASED_WITHIN = Duration.ofSeconds(15);

    @Test
    @Timeout(60)
    void aPausedPlayerLetsGoOfTheOriginAndStillGetsEveryByte() throws Exception {
        byte[] media = media(1);
        var file = new VersionedFile(media, Optional.of("\"5f1e-v1\""));
        // The pause is longer than the route's 2 s read timeout, and the rest takes a while to come.
        file.delayRanges(Duration.ofMillis(500));
        serve(file);

        try (PausingPlayer player = PausingPlayer.get(address("public"), "/seg.ts")) {
            int length = player.readHead();
            byte[] before = player.read(BEFORE_PAUSE);

            awaitOriginConnections(0);
            byte[] rest = player.read(length - BEFORE_PAUSE);

            assertEquals(LENGTH, length);
            assertArrayEquals(media, concat(before, rest));
        }
        // The kernel may take a trickle during the pause, so the origin can be let go and resumed more than once.
        List<RecordedRequest> requests = origin.requests("/vod/seg.ts");
        assertTrue(requests.size() >= 2, requests::toString);
        assertEquals(Optional.empty(), requests.getFirst().header("Range"));
        int from = BEFORE_PAUSE;
        for (RecordedRequest rest : requests.subList(1, requests.size())) {
            assertEquals(Optional.of("\"5f1e-v1\""), rest.header("If-Range"), rest::toString);
            Matcher range = RANGE.matcher(rest.header("Range").orElse(""));
            assertTrue(range.matches(), rest::toString);
            assertTrue(Integer.parseInt(range.group(1)) >= from, range.group());
            assertEquals(LENGTH - 1, Integer.parseInt(range.group(2)));
            from = Integer.parseInt(range.group(1)) + 1;
        }
        assertTrue(metric("sprox_upstream_released_total{route=\"vod\"}") >= 1, this::metricsText);
        assertTrue(metric("sprox_upstream_resumed_total{result=\"whole\",route=\"vod\"}") >= requests.size() - 1,
                this::metricsText);
        assertEquals(0, metric("sprox_upstream_resumed_total{result=\"cut\",route=\"vod\"}"));
    }

    @Test
    @Timeout(60)
    void aFileReplacedWhileThePlayerPausedCutsTheBodyShortInsteadOfSplicingIt() throws Exception {
        byte[] media = media(1);
        var file = new VersionedFile(media, Optional.of("\"5f1e-v1\""));
        serve(file);

        try (PausingPlayer player = PausingPlayer.get(address("public"), "/seg.ts")) {
            int length = player.readHead();
            byte[] before = player.read(BEFORE_PAUSE);
            awaitOriginConnections(0);
            file.replace(media(2), Optional.of("\"5f1e-v2\""));

            byte[] received = concat(before, player.readToEnd());

            assertTrue(received.length < length, "a body of " + received.length + " bytes was not cut short");
            assertArrayEquals(Arrays.copyOf(media, received.length), received, "the player got bytes of v2");
        }
        // Cut because the origin answered the resumption with v2, not for another reason.
        List<RecordedRequest> requests = origin.requests("/vod/seg.ts");
        assertEquals(Optional.of("\"5f1e-v1\""), requests.getLast().header("If-Range"), requests::toString);
        assertEquals(1, metric("sprox_upstream_resumed_total{result=\"cut\",route=\"vod\"}"));
        assertEquals(200, fetch("/health").statusCode());
    }

    @Test
    @Timeout(60)
    void withoutAStrongEtagTheOriginIsKeptWhileThePlayerPauses() throws Exception {
        byte[] media = media(1);
        serve(new VersionedFile(media, Optional.of("W/\"5f1e-v1\"")));

        try (PausingPlayer player = PausingPlayer.get(address("public"), "/seg.ts")) {
            int length = player.readHead();
            byte[] before = player.read(BEFORE_PAUSE);
            Thread.sleep(6_000);
            assertEquals(1, origin.openConnections(), "the origin was let go of a body that cannot be resumed");

            byte[] rest = player.read(length - BEFORE_PAUSE);

            assertArrayEquals(media, concat(before, rest));
        }
        assertEquals(1, origin.requests("/vod/seg.ts").size());
    }

    private void serve(VersionedFile file) throws Exception {
        origin.dispatch(file);
        start(route("vod", origin.url("/vod")));
    }

    private String metricsText() {
        try {
            return metrics();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private void awaitOriginConnections(int expected) throws InterruptedException, SocketTimeoutException {
        long deadline = System.nanoTime() + RELEASED_WITHIN.toNanos();
        while (origin.openConnections() != expected) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException(origin.openConnections() + " origin connections open after "
                        + RELEASED_WITHIN + ", not " + expected);
            }
            Thread.sleep(50);
        }
    }

    private static byte[] media(long seed) {
        byte[] bytes = new byte[LENGTH];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
