package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.Headers;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Kept init segments: reused within their time, and never more of them, or more bytes, than the bound. */
class InitSegmentsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Map<String, Integer> fetches = new HashMap<>();

    private static InitSegments.Key key(String path, String... headers) {
        return new InitSegments.Key("vod", PlaylistKey.ofGet(URI.create("http://origin.test" + path),
                Headers.of(headers)));
    }

    /** Gets {@code path}'s init, {@code size} bytes, counting fetches; kept for {@code keep}. */
    private byte[] get(InitSegments inits, InitSegments.Key key, int size, Duration keep) throws IOException {
        return inits.get(key, () -> {
            fetches.merge(key.request().uri(), 1, Integer::sum);
            return new InitSegments.Fetched(new InitSegments.Cleared(new byte[size], Map.of()), keep);
        }).bytes();
    }

    private int fetches(String path) {
        return fetches.getOrDefault("http://origin.test" + path, 0);
    }

    private InitSegments inits(int entries, long bytes) {
        return new InitSegments(entries, bytes, now::get);
    }

    @Test
    void oneFetchServesEverySegmentWithinItsTime() throws IOException {
        var inits = inits(8, 1 << 20);
        for (int segment = 0; segment < 20; segment++) {
            assertEquals(100, get(inits, key("/v-init.mp4"), 100, InitSegments.TTL).length);
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertEquals(1, fetches("/v-init.mp4"));
        now.addAndGet(InitSegments.TTL.toNanos());
        get(inits, key("/v-init.mp4"), 100, InitSegments.TTL);
        assertEquals(2, fetches("/v-init.mp4"), "kept past its time");
    }

    @Test
    void anInitTheOriginForbidsToShareIsFetchedEachTime() throws IOException {
        var inits = inits(8, 1 << 20);
        for (int segment = 0; segment < 3; segment++) {
            get(inits, key("/v-init.mp4"), 100, Duration.ZERO);
        }
        assertEquals(3, fetches("/v-init.mp4"));
    }

    @Test
    void requestsWithOtherHeadersDoNotShareAnInit() throws IOException {
        var inits = inits(8, 1 << 20);
        get(inits, key("/v-init.mp4", "Cookie", "user=a"), 100, InitSegments.TTL);
        get(inits, key("/v-init.mp4", "Cookie", "user=b"), 100, InitSegments.TTL);
        get(inits, key("/v-init.mp4", "Cookie", "user=a"), 100, InitSegments.TTL);
        assertEquals(2, fetches("/v-init.mp4"));
    }

    @Test
    void theLeastRecentlyUsedGoesWhenTheEntriesAreFull() throws IOException {
        var inits = inits(2, 1 << 20);
        get(inits, key("/a-init.mp4"), 10, InitSegments.TTL);
        get(inits, key("/b-init.mp4"), 10, InitSegments.TTL);
        get(inits, key("/a-init.mp4"), 10, InitSegments.TTL);
        get(inits, key("/c-init.mp4"), 10, InitSegments.TTL);
        get(inits, key("/a-init.mp4"), 10, InitSegments.TTL);
        get(inits, key("/c-init.mp4"), 10, InitSegments.TTL);
        assertEquals(1, fetches("/a-init.mp4"));
        assertEquals(1, fetches("/c-init.mp4"));
        get(inits, key("/b-init.mp4"), 10, InitSegments.TTL);
        assertEquals(2, fetches("/b-init.mp4"), "three entries kept where two may be");
    }

    @Test
    void keptBytesStayWithinTheBound() throws IOException {
        var inits = inits(100, 250);
        get(inits, key("/a-init.mp4"), 100, InitSegments.TTL);
        get(inits, key("/b-init.mp4"), 100, InitSegments.TTL);
        get(inits, key("/c-init.mp4"), 100, InitSegments.TTL);
        get(inits, key("/b-init.mp4"), 100, InitSegments.TTL);
        get(inits, key("/c-init.mp4"), 100, InitSegments.TTL);
        assertEquals(1, fetches("/b-init.mp4"));
        assertEquals(1, fetches("/c-init.mp4"));
        get(inits, key("/a-init.mp4"), 100, InitSegments.TTL);
        assertEquals(2, fetches("/a-init.mp4"), "300 bytes kept where 250 may be");
    }

    @Test
    void anInitLargerThanTheBoundIsServedButNotKept() throws IOException {
        var inits = inits(100, 250);
        get(inits, key("/small-init.mp4"), 100, InitSegments.TTL);
        assertEquals(300, get(inits, key("/big-init.mp4"), 300, InitSegments.TTL).length);
        get(inits, key("/big-init.mp4"), 300, InitSegments.TTL);
        get(inits, key("/small-init.mp4"), 100, InitSegments.TTL);
        assertEquals(2, fetches("/big-init.mp4"));
        assertEquals(1, fetches("/small-init.mp4"), "the big init pushed out what fitted");
    }

    @Test
    void expiredEntriesMakeRoomBeforeLiveOnesGo() throws IOException {
        var inits = inits(2, 1 << 20);
        get(inits, key("/a-init.mp4"), 10, Duration.ofSeconds(1));
        get(inits, key("/b-init.mp4"), 10, InitSegments.TTL);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        get(inits, key("/c-init.mp4"), 10, InitSegments.TTL);
        get(inits, key("/b-init.mp4"), 10, InitSegments.TTL);
        assertEquals(1, fetches("/b-init.mp4"));
    }

    @Test
    void aFailedFetchIsNotKept() throws IOException {
        var inits = inits(8, 1 << 20);
        assertThrows(IOException.class, () -> inits.get(key("/v-init.mp4"), () -> {
            throw new IOException("origin gone");
        }));
        byte[] init = get(inits, key("/v-init.mp4"), 7, InitSegments.TTL);
        assertArrayEquals(new byte[7], init);
        assertEquals(1, fetches("/v-init.mp4"));
    }
}
