package dev.sprox.upstream;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory the bodies that are not straight from an origin (a sniffed direct body) share: a fixed number of
 * pieces in hand at once. A stream holds one only while it moves a piece to its client; when all are taken, streams
 * wait for one and their origins wait for them (TCP flow control), instead of the heap growing with the number of
 * slow clients. Buffers are made on first use and kept for the next stream. Bodies straight from an origin do not
 * use them: their {@link OriginExchanges} share bounds them instead ({@link BodyRelay}).
 */
final class RelayBuffers {
    /**
     * One piece of an origin's body as the HttpClient hands it over ({@code jdk.httpclient.bufsize}): a relay read
     * never returns more than that, so a larger buffer only held memory that no write used.
     */
    static final int BUFFER_SIZE = Integer.getInteger("jdk.httpclient.bufsize", 32 * 1024);
    /** An eighth of the heap: the rest is for origin exchanges ({@link OriginExchanges}) and each connection. */
    static final RelayBuffers SHARED = new RelayBuffers(
            (int) Math.max(16, Runtime.getRuntime().maxMemory() / 8 / BUFFER_SIZE));

    private final int count;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<byte[]> free = new ConcurrentLinkedDeque<>();

    RelayBuffers(int count) {
        this.count = count;
        this.permits = new Semaphore(count);
    }

    int count() {
        return count;
    }

    /** A buffer, waiting for one at most {@code patienceNanos}; null when none became free in that time. */
    byte[] take(long patienceNanos) throws InterruptedException {
        if (!permits.tryAcquire(patienceNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        byte[] buffer = free.pollFirst();
        return buffer != null ? buffer : new byte[BUFFER_SIZE];
    }

    void give(byte[] buffer) {
        free.addFirst(buffer);
        permits.release();
    }
}
