package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The coalescer on its own: bounds, waits and shared failures, without sockets. */
class PlaylistCoalescerTest {
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger coalesced = new AtomicInteger();

    private PlaylistCoalescer<String> coalescer(Duration wait) {
        return new PlaylistCoalescer<>(wait, fetches::incrementAndGet, coalesced::incrementAndGet);
    }

    private static String key(int n) {
        return "http://o/live/" + n + ".m3u8";
    }

    private static PlaylistAnswer reusable() {
        return new PlaylistAnswer(200, Headers.EMPTY, new byte[16], true, Duration.ofMinutes(1));
    }

    @Test
    void keepsAtMostMaxEntriesDroppingTheOldest() {
        var playlists = coalescer(Duration.ofSeconds(1));
        for (int n = 0; n <= PlaylistCoalescer.MAX_ENTRIES; n++) {
            playlists.answer(key(n), PlaylistCoalescerTest::reusable);
        }
        assertEquals(PlaylistCoalescer.MAX_ENTRIES, playlists.size());
        playlists.answer(key(PlaylistCoalescer.MAX_ENTRIES), PlaylistCoalescerTest::reusable);
        assertEquals(PlaylistCoalescer.MAX_ENTRIES + 1, fetches.get());
        playlists.answer(key(0), PlaylistCoalescerTest::reusable);
        assertEquals(PlaylistCoalescer.MAX_ENTRIES + 2, fetches.get());
        assertEquals(1, coalesced.get());
    }

    @Test
    void keptBodiesStayWithinMaxBytes() {
        var playlists = coalescer(Duration.ofSeconds(1));
        byte[] large = new byte[(int) (PlaylistCoalescer.MAX_BYTES / 4)];
        for (int n = 0; n < 5; n++) {
            playlists.answer(key(n), () -> new PlaylistAnswer(200, Headers.EMPTY, large, true, Duration.ofMinutes(1)));
        }
        assertEquals(4, playlists.size());
    }

    @Test
    void anAnswerWithoutReuseIsForgottenOnceDelivered() {
        var playlists = coalescer(Duration.ofSeconds(1));
        playlists.answer(key(1), () -> new PlaylistAnswer(200, Headers.EMPTY, new byte[1], true, Duration.ZERO));
        assertEquals(0, playlists.size());
    }

    @Test
    void waitersShareTheFailureOfTheirFetchButTheNextRequestFetchesAgain() throws Exception {
        var playlists = coalescer(Duration.ofSeconds(10));
        var fetching = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var leader = threads.submit(() -> playlists.answer(key(1), () -> {
                fetching.countDown();
                await(release);
                throw new RequestRejected(RequestError.UPSTREAM_TIMEOUT, "upstream timed out");
            }));
            fetching.await();
            var waiter = threads.submit(() -> playlists.answer(key(1), PlaylistCoalescerTest::reusable));
            while (coalesced.get() == 0) {
                Thread.sleep(5);
            }
            release.countDown();
            for (var request : List.of(leader, waiter)) {
                var failure = assertThrows(ExecutionException.class, request::get);
                assertEquals(RequestError.UPSTREAM_TIMEOUT, ((RequestRejected) failure.getCause()).error());
            }
        }
        PlaylistAnswer next = playlists.answer(key(1), PlaylistCoalescerTest::reusable);
        assertSame(next, playlists.answer(key(1), PlaylistCoalescerTest::reusable));
        assertEquals(2, fetches.get());
    }

    @Test
    void aWaiterGivesUpAfterItsWaitWithATimeout() throws Exception {
        var playlists = coalescer(Duration.ofMillis(50));
        var fetching = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(() -> playlists.answer(key(1), () -> {
                fetching.countDown();
                await(release);
                return reusable();
            }));
            fetching.await();
            var refused = assertThrows(RequestRejected.class,
                    () -> playlists.answer(key(1), PlaylistCoalescerTest::reusable));
            assertEquals(RequestError.UPSTREAM_TIMEOUT, refused.error());
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
