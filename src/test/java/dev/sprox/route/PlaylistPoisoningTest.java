package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One client cannot poison the playlist that other players share: an origin that echoes what sprox forwards
 * (absolute URIs from {@code X-Forwarded-Host}/{@code -Proto}, a cookie per fetch) never has one client's
 * answer served to another.
 */
class PlaylistPoisoningTest extends OriginHarness {
    /**
     * A live playlist (6 s segments, so reusable for 3 s) whose segment URIs are built from the forwarded host
     * and scheme; {@code extraHeader} (name: value) is added to every answer, and each fetch sets its own cookie
     * when {@code cookie}. A fetch is held until {@code release} opens, so other requests can join it.
     */
    private void startEchoingOrigin(String extraHeader, boolean cookie, CountDownLatch release) throws Exception {
        var fetches = new AtomicInteger();
        origin.dispatch(request -> {
            int n = fetches.incrementAndGet();
            release.await(5, TimeUnit.SECONDS);
            String base = request.header("X-Forwarded-Proto").orElse("") + "://"
                    + request.header("X-Forwarded-Host").orElse("") + "/live/";
            var answer = MockResponse.ok("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:6.0,\n"
                    + base + "seg1.ts\n").type("application/vnd.apple.mpegurl");
            if (!extraHeader.isEmpty()) {
                int colon = extraHeader.indexOf(':');
                answer.header(extraHeader.substring(0, colon), extraHeader.substring(colon + 1).strip());
            }
            if (cookie) {
                answer.header("Set-Cookie", "fetch=" + n);
            }
            return answer;
        });
        start(route("live", origin.url("/live")) + "    hls: {enabled: true}\n");
    }

    /** Every request that reached the origin: sprox asks it for nothing but the playlist. */
    private int fetches() {
        return origin.requestCount();
    }

    private static CountDownLatch open() {
        return new CountDownLatch(0);
    }

    @Test
    void anAttackersHostNeverReachesAnotherPlayersPlaylist() throws Exception {
        startEchoingOrigin("", false, open());
        int port = address("public").getPort();

        // Another Host than the player's, still matching the route: it reaches the origin as X-Forwarded-Host.
        String poisoned = raw("GET /index.m3u8 HTTP/1.1\r\nHost: LOCALHOST:666\r\n");
        assertTrue(poisoned.contains("http://LOCALHOST:666/live/seg1.ts"), poisoned);
        HttpResponse<String> player = fetch("/index.m3u8");

        assertEquals(200, player.statusCode());
        assertFalse(player.body().contains("LOCALHOST:666"), player.body());
        assertTrue(player.body().contains("http://localhost:" + port + "/live/seg1.ts"), player.body());
        assertEquals(2, fetches());
        // The question itself is still shared: a second player with the same request gets the kept answer.
        assertEquals(player.body(), fetch("/index.m3u8").body());
        assertEquals(2, fetches());
    }

    @Test
    void theFetchingRequestsCookieReachesNoOtherWaiter() throws Exception {
        var release = new CountDownLatch(1);
        startEchoingOrigin("", true, release);
        List<Optional<String>> cookies;
        try (var players = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> responses = List.of(
                    players.submit(() -> fetch("/index.m3u8")), players.submit(() -> fetch("/index.m3u8")),
                    players.submit(() -> fetch("/index.m3u8")));
            // All three are in: one fetching, two waiting for it (or, by now, fetching for themselves).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (metric("sprox_hls_playlist_coalesced_total{route=\"live\"}") + fetches() < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            release.countDown();
            cookies = responses.stream().map(PlaylistPoisoningTest::cookie).toList();
        }

        assertTrue(cookies.stream().allMatch(Optional::isPresent), cookies::toString);
        assertEquals(3, new HashSet<>(cookies).size(), cookies::toString);
        assertEquals(3, fetches());
        // Never reused after the fetch either.
        assertEquals(Optional.of("fetch=4"), fetch("/index.m3u8").headers().firstValue("Set-Cookie"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Cache-Control: private, max-age=60 | 2",
            "Cache-Control: no-store | 2",
            "Cache-Control: no-cache | 2",
            "Cache-Control: max-age=0 | 2",
            "Vary: * | 2",
            "Vary: Accept-Encoding, X-Forwarded-For | 2",
            "Vary: Accept-Encoding | 1",
            "Cache-Control: public, max-age=60 | 1"})
    void answersMarkedForOneRequesterAreNeverReused(String header, int expectedFetches) throws Exception {
        startEchoingOrigin(header, false, open());
        assertEquals(200, fetch("/index.m3u8").statusCode());
        assertEquals(200, fetch("/index.m3u8").statusCode());
        assertEquals(expectedFetches, fetches());
    }

    private static Optional<String> cookie(Future<HttpResponse<String>> response) {
        try {
            HttpResponse<String> answered = response.get(10, TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode());
            return answered.headers().firstValue("Set-Cookie");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
