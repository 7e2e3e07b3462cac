package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.runtime.ReloadResult;
import dev.sprox.testing.MockResponse;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Concurrent and repeated requests for one playlist share origin fetches; segments and errors never do. */
class RoutePlaylistCoalescingTest extends OriginHarness {
    private static final Pattern MEDIA_SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final String FETCHES = "sprox_hls_playlist_fetches_total{route=\"live\"}";
    private static final String COALESCED = "sprox_hls_playlist_coalesced_total{route=\"live\"}";

    /** Origin requests for exactly this path and query (under the route's {@code /live}). */
    private int seen(String pathAndQuery) {
        return (int) origin.requests().stream().filter(r -> r.target().equals("/live" + pathAndQuery)).count();
    }

    private String liveRoute(String hlsBlock, String... upstreamExtras) {
        return route("live", origin.url("/live"), upstreamExtras) + "    hls: " + hlsBlock + "\n";
    }

    private static String playlist(long sequence, int targetDuration) {
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + targetDuration
                + "\n#EXT-X-MEDIA-SEQUENCE:" + sequence + "\n");
        for (long s = sequence; s < sequence + 3; s++) {
            text.append("#EXTINF:").append(targetDuration).append(".0,\nseg").append(s).append(".ts\n");
        }
        return text.toString();
    }

    private static MockResponse playlistAnswer(String body) {
        return MockResponse.ok(body).type("application/vnd.apple.mpegurl");
    }

    private static long mediaSequence(String playlist) {
        Matcher matcher = MEDIA_SEQUENCE.matcher(playlist);
        assertTrue(matcher.find(), playlist);
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void fiftySimultaneousPollersShareOneFetchAndOneRewrite() throws Exception {
        origin.dispatch(request -> {
            // Held at least 200 ms, and until every other poller waits on this fetch (bounded, should it not).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Thread.sleep(200);
            while (metric(COALESCED) < 49 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return playlistAnswer(playlist(7, 2));
        });
        // No reuse window: only requests that overlap the fetch may share it.
        start(liveRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\", live_cache_fraction: 0}",
                "read_timeout_ms: 10000"));
        var ready = new CountDownLatch(1);
        var responses = new ArrayList<Future<HttpResponse<String>>>();
        try (var pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                responses.add(pollers.submit(() -> {
                    ready.await();
                    return fetch("/index.m3u8");
                }));
            }
            ready.countDown();
        }
        assertEquals(1, seen("/index.m3u8"));
        String expected = playlist(7, 2).replaceAll("seg(\\d+)\\.ts", "http://edge.example/seg$1.ts");
        for (var response : responses) {
            assertEquals(200, response.get().statusCode());
            assertEquals(expected, response.get().body());
        }
        assertEquals(1, metric(FETCHES));
        assertEquals(49, metric(COALESCED));
    }

    @Test
    void liveSlidingWindowIsFetchedAboutOncePerReuseWindowWhateverThePollers() throws Exception {
        int fetches = slidingWindow("0.5");
        // A reuse window of half a target duration: about two fetches per update, however many pollers.
        assertTrue(fetches >= 4 && fetches <= 12, fetches + " fetches");
    }

    @Test
    void liveSlidingWindowReusedForAWholeTargetDurationIsFetchedOncePerUpdate() throws Exception {
        int fetches = slidingWindow("1");
        // Four updates in four seconds: one fetch each, give or take the edges of the run.
        assertTrue(fetches >= 3 && fetches <= 7, fetches + " fetches");
    }

    /** 50 pollers on a playlist that changes every second, for 4 s; returns the origin's fetch count. */
    private int slidingWindow(String fraction) throws Exception {
        long epoch = System.nanoTime();
        origin.dispatch(request -> playlistAnswer(
                playlist(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - epoch), 1)));
        start(liveRoute("{enabled: true, live_cache_fraction: " + fraction + "}"));
        long pollUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        var ready = new CountDownLatch(1);
        var staleness = new ArrayList<Future<Integer>>();
        try (var pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                staleness.add(pollers.submit(() -> poll(ready, pollUntil, epoch)));
            }
            ready.countDown();
        }
        int requests = 0;
        for (var poller : staleness) {
            requests += poller.get();
        }
        int fetches = seen("/index.m3u8");
        System.out.printf("sliding window, fraction %s: %d client requests, %d origin fetches%n", fraction, requests,
                fetches);
        assertTrue(requests >= 200, requests + " requests");
        assertEquals(fetches, metric(FETCHES));
        assertEquals(requests - fetches, metric(COALESCED));
        return fetches;
    }

    /**
     * Polls every 100–200 ms until {@code until}; each answer must be no older than the reuse window allows
     * (plus a second for a slow machine) and no older than the one before. Returns the number of requests.
     */
    private int poll(CountDownLatch ready, long until, long epoch) throws Exception {
        ready.await();
        long previous = -1;
        int requests = 0;
        while (System.nanoTime() < until) {
            long asked = System.nanoTime();
            var response = fetch("/index.m3u8");
            requests++;
            assertEquals(200, response.statusCode());
            long sequence = mediaSequence(response.body());
            long oldestAllowed = TimeUnit.NANOSECONDS.toSeconds(asked - epoch - TimeUnit.MILLISECONDS.toNanos(1500));
            assertTrue(sequence >= oldestAllowed, "stale playlist " + sequence + ", expected at least " + oldestAllowed);
            assertTrue(sequence >= previous, "sequence went back from " + previous + " to " + sequence);
            previous = sequence;
            Thread.sleep(ThreadLocalRandom.current().nextLong(100, 200));
        }
        return requests;
    }

    @Test
    void lowLatencyReloadsForDifferentPartsAreDifferentPlaylists() throws Exception {
        origin.answer("/live/index.m3u8", playlistAnswer(playlist(5, 4)));
        start(liveRoute("{enabled: true}"));
        assertEquals(200, fetch("/index.m3u8?_HLS_msn=5").statusCode());
        assertEquals(200, fetch("/index.m3u8?_HLS_msn=6").statusCode());
        assertEquals(200, fetch("/index.m3u8?_HLS_msn=5").statusCode());
        assertEquals(1, seen("/index.m3u8?_HLS_msn=5"));
        assertEquals(1, seen("/index.m3u8?_HLS_msn=6"));
    }

    @Test
    void simultaneousSegmentRequestsEachReachTheOrigin() throws Exception {
        var bothArrived = new CountDownLatch(2);
        origin.dispatch(request -> {
            bothArrived.countDown();
            bothArrived.await(5, TimeUnit.SECONDS);
            return MockResponse.ok("segment").type("video/mp2t");
        });
        start(liveRoute("{enabled: true}"));
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = clients.submit(() -> fetch("/seg1.ts"));
            var second = clients.submit(() -> fetch("/seg1.ts"));
            assertEquals("segment", first.get().body());
            assertEquals("segment", second.get().body());
        }
        assertEquals(2, seen("/seg1.ts"));
        assertEquals(0, metric(FETCHES));
    }

    @Test
    void requestsWithDifferentForwardedCredentialsAreNotShared() throws Exception {
        origin.dispatch(request -> playlistAnswer(
                playlist(1, 4) + "#" + request.header("Authorization").orElse("no Authorization") + "\n"));
        start(liveRoute("{enabled: true}", "headers: {allow: [Authorization]}"));
        assertTrue(fetch("/index.m3u8", "Authorization", "Bearer a").body().endsWith("#Bearer a\n"));
        assertTrue(fetch("/index.m3u8", "Authorization", "Bearer b").body().endsWith("#Bearer b\n"));
        assertTrue(fetch("/index.m3u8", "Authorization", "Bearer a").body().endsWith("#Bearer a\n"));
        assertEquals(2, seen("/index.m3u8"));
    }

    @Test
    void credentialsTheRouteDropsDoNotSplitTheKey() throws Exception {
        origin.answer("/live/index.m3u8", playlistAnswer(playlist(1, 4)));
        start(liveRoute("{enabled: true}"));
        fetch("/index.m3u8", "Authorization", "Bearer a");
        fetch("/index.m3u8", "Authorization", "Bearer b");
        assertEquals(1, seen("/index.m3u8"));
    }

    @Test
    void rangeRequestsAndHeadAreProxiedAsThemselves() throws Exception {
        origin.answer("/live/index.m3u8", playlistAnswer(playlist(1, 4)));
        start(liveRoute("{enabled: true}"));
        fetch("/index.m3u8");
        assertEquals(200, fetch("/index.m3u8", "Range", "bytes=0-3").statusCode());
        assertEquals(200, client.send(request("/index.m3u8").HEAD().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
        assertEquals(3, seen("/index.m3u8"));
    }

    @Test
    void originErrorIsNotReused() throws Exception {
        origin.enqueue(MockResponse.status(500).type("text/plain").body("origin broke"))
                .answer("/live/index.m3u8", playlistAnswer(playlist(3, 4)));
        start(liveRoute("{enabled: true}"));
        var failed = fetch("/index.m3u8");
        assertEquals(500, failed.statusCode());
        assertEquals("origin broke", failed.body());
        assertEquals(playlist(3, 4), fetch("/index.m3u8").body());
        assertEquals(playlist(3, 4), fetch("/index.m3u8").body());
        assertEquals(2, seen("/index.m3u8"));
    }

    @Test
    void reloadStartsWithNothingReused() throws Exception {
        origin.answer("/live/index.m3u8", playlistAnswer(playlist(9, 10)));
        String route = liveRoute("{enabled: true, live_cache_fraction: 1}");
        start(route);
        fetch("/index.m3u8");
        fetch("/index.m3u8");
        assertEquals(1, seen("/index.m3u8"));
        write("", route);
        assertInstanceOf(ReloadResult.Reloaded.class, sprox.reload());
        fetch("/index.m3u8");
        fetch("/index.m3u8");
        assertEquals(2, origin.requestCount());
    }
}
