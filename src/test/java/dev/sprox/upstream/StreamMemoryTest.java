package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamMemoryTest {
    private static final long PATIENT = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aShareIsGivenBackOnceHoweverOftenItIsClosed() throws Exception {
        var memory = new StreamMemory(8);
        StreamMemory.Share share = memory.reserve(4, 0);

        share.close();
        share.close();

        assertEquals(8, memory.free());
    }

    @Test
    void aRequestThatFindsTheMemorySpentIsRefusedWhenNoneFreesInTime() throws Exception {
        var memory = new StreamMemory(4);
        memory.reserve(4, 0);

        assertNull(memory.reserve(4, TimeUnit.MILLISECONDS.toNanos(50)));
    }

    @Test
    void aWaitingRequestGetsTheShareAnEndedStreamGivesBack() throws Exception {
        var memory = new StreamMemory(4);
        StreamMemory.Share first = memory.reserve(4, 0);
        CompletableFuture<StreamMemory.Share> waiting = CompletableFuture.supplyAsync(() -> reserve(memory, 4));
        awaitWaiting(memory);

        first.close();

        assertEquals(4, waiting.get(30, TimeUnit.SECONDS).held());
    }

    @Test
    void aNewRequestDoesNotGoAheadOfOneThatWaits() throws Exception {
        var memory = new StreamMemory(8);
        StreamMemory.Share other = memory.reserve(4, 0);
        StreamMemory.Share small = memory.reserve(4, 0);
        CompletableFuture<StreamMemory.Share> waiting = CompletableFuture.supplyAsync(() -> reserve(memory, 8));
        awaitWaiting(memory);

        small.close();

        assertNull(memory.reserve(4, 0), "the four free pieces are kept for the request that came first");
        assertFalse(waiting.isDone());
        other.close();
        assertEquals(8, waiting.get(30, TimeUnit.SECONDS).held());
    }

    @Test
    void aRequestIsRefusedAtOnceWhenAsManyWaitAsTheBudgetHoldsExchanges() throws Exception {
        var memory = new StreamMemory(StreamMemory.PLAIN_PIECES);
        StreamMemory.Share held = memory.reserve(StreamMemory.PLAIN_PIECES, 0);
        CompletableFuture<StreamMemory.Share> waiting =
                CompletableFuture.supplyAsync(() -> reserve(memory, StreamMemory.PLAIN_PIECES));
        awaitWaiting(memory);

        StreamMemory.Share refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> memory.reserve(StreamMemory.PLAIN_PIECES, TimeUnit.MINUTES.toNanos(1)));

        assertNull(refused);
        held.close();
        assertEquals(StreamMemory.PLAIN_PIECES, waiting.get(30, TimeUnit.SECONDS).held());
    }

    @Test
    void anHttpsOriginCostsMoreThanAPlainOne() {
        assertEquals(StreamMemory.PLAIN_PIECES, StreamMemory.piecesFor(URI.create("http://origin.test/a.ts")));
        assertTrue(StreamMemory.piecesFor(URI.create("https://origin.test/a.ts")) > StreamMemory.PLAIN_PIECES);
    }

    @Test
    void aShareGrowsForARedirectToACostlierOrigin() throws Exception {
        var memory = new StreamMemory(StreamMemory.TLS_PIECES);
        StreamMemory.Share share = memory.reserve(StreamMemory.PLAIN_PIECES, 0);

        assertTrue(share.growTo(StreamMemory.TLS_PIECES, 0));

        assertEquals(0, memory.free());
        share.close();
        assertEquals(StreamMemory.TLS_PIECES, memory.free());
    }

    private static void awaitWaiting(StreamMemory memory) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENT;
        while (memory.waiting() == 0) {
            assertTrue(System.nanoTime() < deadline, "a request waits");
            Thread.sleep(10);
        }
    }

    private static StreamMemory.Share reserve(StreamMemory memory, int pieces) {
        try {
            StreamMemory.Share share = memory.reserve(pieces, PATIENT);
            assertNotNull(share);
            return share;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
