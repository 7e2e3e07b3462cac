package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: players polling one playlist through the manifest endpoint share the fetch (as route playlists do), and
 * playlist answers take no stream slot, so they are not refused while every slot streams a segment.
 */
class DirectPlaylistSharingTest extends DirectHarness {
    private static final String LIVE = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:1\n"
            + "#EXTINF:4,\nseg-1.ts\n#EXTINF:4,\nseg-2.ts\n";
    @Test
    void concurrentIdenticalManifestRequestsShareOneFetch() throws Exception {
        startDirect();
        origin.answer("/live/shared.m3u8", MockResponse.ok(LIVE).type("application/vnd.apple.mpegurl")
                .delayHeaders(Duration.ofMillis(400)));
        List<CompletableFuture<HttpResponse<String>>> players = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            players.add(client.sendAsync(request(manifest("/live/shared.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var player : players) {
            HttpResponse<String> answer = player.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("/proxy/"), answer.body());
        }
        // The URLs written carry the expiry second, part of what is shared: the eight may straddle one second.
        int fetches = origin.requests("/live/shared.m3u8").size();
        assertTrue(fetches <= 2, fetches + " fetches for 8 identical requests");
        assertTrue(metric("sprox_direct_playlist_coalesced_total") >= 6, metrics());
    }

    @Test
    void aManifestIsAnsweredWhileEveryStreamSlotIsTaken() throws Exception {
        var release = new CountDownLatch(1);
        origin.answer("/held.ts", held("segment", release, ""));
        startDirect("max_concurrent: 1");
        origin.answer("/live/index.m3u8", MockResponse.ok(LIVE).type("application/vnd.apple.mpegurl"));
        CompletableFuture<HttpResponse<String>> segment = client.sendAsync(request(stream("/held.ts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertMetricEventually(1, "sprox_direct_streams_active");
        try {
            HttpResponse<String> playlist = fetch(manifest("/live/index.m3u8"));

            assertEquals(200, playlist.statusCode(), playlist.body());
            assertEquals(1, metric("sprox_direct_streams_active"), "the segment still holds the only slot");
        } finally {
            release.countDown();
        }
        assertEquals(200, segment.get(10, TimeUnit.SECONDS).statusCode());
    }
}
