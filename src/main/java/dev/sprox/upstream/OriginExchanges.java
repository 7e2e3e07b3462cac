package dev.sprox.upstream;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many origin exchanges may be open at once, all routes and direct streams together: the memory the
 * HttpClient reads into for an exchange is outside sprox's hands (one socket read fills up to three of its buffers
 * and it keeps its partly filled one, {@link PacedBody}), so the number of exchanges is what bounds it. An exchange
 * holds a share from before its request is sent until its body ends, fails or is let go. When none is free, a
 * request waits (in turn), and {@link StallGuard} lets go sooner of the exchanges of clients that stopped taking
 * pieces; a request that waited as long as its origin would be waited for is refused as overloaded. Without this
 * bound, 1000 players that never read filled a 128 MiB heap with the HttpClient's buffers (a heap dump at the
 * OutOfMemoryError: 3015 pieces of 32 KiB, two thirds of them the HttpClient's).
 */
public final class OriginExchanges {
    /**
     * What one exchange usually holds in the HttpClient: three buffers read at once and the partly filled one. It
     * can read on past that (a heap dump found 13-31 buffers queued for exchanges whose clients had stopped, until
     * they were let go: docs/operations.md, "Memory"), so this sizes the budget, it does not bound each exchange.
     */
    static final long BYTES_PER_EXCHANGE = 4L * PacedBody.PIECE_BYTES;
    /** A quarter of the heap: the rest is for each stream's own piece, connections, playlists and caches. */
    private static final OriginExchanges SHARED = new OriginExchanges(
            (int) Math.max(16, Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_EXCHANGE));

    private final int count;
    private final Semaphore permits;

    public OriginExchanges(int count) {
        this.count = count;
        this.permits = new Semaphore(count, true);
    }

    /** The process's own, which every route's and the direct streams' client draws on. */
    public static OriginExchanges shared() {
        return SHARED;
    }

    /** How many exchanges may be open at once. */
    public int count() {
        return count;
    }

    /** Exchanges holding a share now. */
    public int open() {
        return count - permits.availablePermits();
    }

    /** Requests waiting for a share now. */
    public int waiting() {
        return permits.getQueueLength();
    }

    /** A share, waiting at most {@code patienceNanos}; null when none became free in that time. */
    Share take(long patienceNanos) throws InterruptedException {
        return permits.tryAcquire(patienceNanos, TimeUnit.NANOSECONDS) ? new Share() : null;
    }

    /** Whether a request waits for a share: exchanges whose clients do not take their pieces should make room. */
    boolean pressed() {
        return permits.hasQueuedThreads();
    }

    /** One exchange's share; given back once, however many times it is closed. */
    final class Share implements AutoCloseable {
        private final AtomicBoolean given = new AtomicBoolean();

        /** Whether it has not been given back yet. */
        boolean held() {
            return !given.get();
        }

        @Override
        public void close() {
            if (given.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }
}
